import "server-only";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl, S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import net from "node:net";
import { createS3Client, type StoreCredentials } from "./client";
import { storeError } from "./errors";

export interface PresignRequest {
  bucket: string;
  key: string;
  method: "GET" | "PUT";
  expiresIn: number;
  /** Signing with the same date and lifetime gives the same URL again: nothing needs to be stored. */
  signingDate: Date;
  disposition?: "attachment" | "inline";
  contentType?: string | null;
  /** A PUT of one part of a multipart upload (UploadPart) instead of a whole object. */
  part?: { uploadId: string; partNumber: number };
  /**
   * A PUT of exactly this many bytes: Content-Length is signed, so the store refuses any other body (upload
   * requests hold outsiders to the size they announced).
   */
  contentLength?: number;
  /** A GET of this version of the object instead of the current one. */
  versionId?: string;
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` so every browser saves the file under its own name. */
export function contentDisposition(kind: "attachment" | "inline", key: string): string {
  const name = key.split("/").filter(Boolean).pop() ?? "download";
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The reference signer: the SDK's own getSignedUrl, which runs the whole middleware stack (endpoint rules
 * included) for every key. `signer` below must produce exactly its URLs (a unit test compares them).
 * The checksum settings of createS3Client matter: with the SDK defaults a presigned PUT would carry the CRC32
 * of an empty body.
 */
export function sdkSigner(c: StoreCredentials) {
  const client = createS3Client(c);
  return (r: PresignRequest): Promise<string> => {
    const options = { expiresIn: r.expiresIn, signingDate: r.signingDate };
    if (r.method === "GET") {
      const get = new GetObjectCommand({
        Bucket: r.bucket,
        Key: r.key,
        ...(r.versionId ? { VersionId: r.versionId } : {}),
        ...(r.disposition ? { ResponseContentDisposition: contentDisposition(r.disposition, r.key) } : {}),
      });
      return getSignedUrl(client, get, options);
    }
    const length = r.contentLength !== undefined ? { ContentLength: r.contentLength } : {};
    if (r.part) {
      const part = new UploadPartCommand({
        Bucket: r.bucket,
        Key: r.key,
        UploadId: r.part.uploadId,
        PartNumber: r.part.partNumber,
        ...length,
      });
      return getSignedUrl(client, part, {
        ...options,
        ...(r.contentLength !== undefined ? { signableHeaders: new Set(["content-length"]) } : {}),
      });
    }
    const put = new PutObjectCommand({
      Bucket: r.bucket,
      Key: r.key,
      ...(r.contentType ? { ContentType: r.contentType } : {}),
      ...length,
    });
    // The presigner signs only the host unless told: a fixed content type must be signed to be enforced.
    const signable = [
      ...(r.contentType ? ["content-type"] : []),
      ...(r.contentLength !== undefined ? ["content-length"] : []),
    ];
    return getSignedUrl(client, put, {
      ...options,
      ...(signable.length > 0 ? { signableHeaders: new Set(signable) } : {}),
    });
  };
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** SHA-256 / HMAC-SHA-256 for the signer, from Node's crypto. */
class NodeSha256 {
  private h: Hash | Hmac;
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.h = this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
}

/** RFC 3986 percent-encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escape(v: string): string {
  return encodeURIComponent(v).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Buckets that can be a DNS label under TLS: the SDK falls back to path-style for the others. */
function virtualHostable(bucket: string, https: boolean): boolean {
  return (
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket) ||
    (!https && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
  );
}

/**
 * Where a bucket's requests go, as the SDK addresses them: `bucket.host` (virtual-hosted, which OBS
 * requires) unless the connection says path-style, the endpoint is an IP address, or the name cannot be a
 * DNS label; then `host/bucket`. `path` is the bucket's root without the trailing slash.
 */
export function bucketAddress(c: Pick<StoreCredentials, "endpoint" | "addressing">, bucket: string) {
  const endpoint = new URL(c.endpoint);
  const https = endpoint.protocol === "https:";
  const basePath = endpoint.pathname.replace(/\/+$/, "");
  const isIp = net.isIP(endpoint.hostname.replace(/^\[|\]$/g, "")) !== 0;
  const virtual = c.addressing === "virtual" && !isIp && virtualHostable(bucket, https);
  const hostname = virtual ? `${bucket}.${endpoint.hostname}` : endpoint.hostname;
  return {
    protocol: endpoint.protocol,
    hostname,
    port: endpoint.port,
    host: endpoint.port ? `${hostname}:${endpoint.port}` : hostname,
    path: `${basePath}${virtual ? "" : `/${bucket}`}`,
  };
}

/**
 * Signs presigned URLs without the SDK's per-call middleware stack: the request is built once here (the same
 * host, path and query the SDK would build) and only the SigV4 signature is computed per key. Tens of
 * thousands of links a second for a folder, and byte-for-byte the URLs of `sdkSigner`.
 */
export function signer(c: StoreCredentials) {
  const presigner = new S3RequestPresigner({
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    },
    region: c.region,
    sha256: NodeSha256,
  });
  return async (r: PresignRequest): Promise<string> => {
    const at = bucketAddress(c, r.bucket);
    const hostname = at.hostname;
    const endpoint = { protocol: at.protocol, port: at.port };
    const keyPath = r.key.split("/").map(escape).join("/");
    const path = `${at.path}/${keyPath}`;
    const query: Record<string, string> = {
      "x-id": r.method === "GET" ? "GetObject" : r.part ? "UploadPart" : "PutObject",
    };
    if (r.part) {
      query.partNumber = String(r.part.partNumber);
      query.uploadId = r.part.uploadId;
    }
    if (r.method === "GET" && r.disposition)
      query["response-content-disposition"] = contentDisposition(r.disposition, r.key);
    if (r.method === "GET" && r.versionId) query.versionId = r.versionId;
    const headers: Record<string, string> = {
      host: endpoint.port ? `${hostname}:${endpoint.port}` : hostname,
    };
    const signType = r.method === "PUT" && !!r.contentType && !r.part;
    if (signType) headers["content-type"] = r.contentType!;
    const signLength = r.method === "PUT" && r.contentLength !== undefined;
    if (signLength) headers["content-length"] = String(r.contentLength);
    const signable = [...(signType ? ["content-type"] : []), ...(signLength ? ["content-length"] : [])];
    const signed = await presigner.presign(
      {
        method: r.method,
        protocol: endpoint.protocol,
        hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path,
        query,
        headers,
      },
      {
        expiresIn: r.expiresIn,
        signingDate: r.signingDate,
        ...(signable.length > 0 ? { signableHeaders: new Set(signable) } : {}),
      },
    );
    const q = Object.entries(signed.query ?? {})
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v === null ? [] : [[k, v]]))
      .map(([k, v]) => `${escape(k!)}=${escape(v!)}`)
      .join("&");
    return `${endpoint.protocol}//${headers.host}${path}?${q}`;
  };
}

export async function objectExists(c: StoreCredentials, bucket: string, key: string): Promise<void> {
  try {
    await createS3Client(c).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}

/** The most pages one walk lists (10 million objects): no store keeps a request going for ever. */
export const MAX_KEY_PAGES = 10_000;

/** Every object key under a prefix, a page (up to 1,000) at a time; folder markers ("…/") are skipped. */
export async function* objectKeyPages(
  c: StoreCredentials,
  bucket: string,
  prefix: string,
  maxPages = MAX_KEY_PAGES,
): AsyncGenerator<{ keys: string[]; more: boolean }> {
  const client = createS3Client(c);
  let token: string | undefined;
  let lastKey = "";
  for (let page = 0; page < maxPages; page++) {
    let out;
    try {
      out = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000, ContinuationToken: token }),
      );
    } catch (err) {
      throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
    }
    const listed = (out.Contents ?? []).map((o) => o.Key ?? "").filter(Boolean);
    const keys = listed.filter((k) => !k.endsWith("/"));
    // Listings come in key order: a page that does not move past the last one is a store going round in
    // circles, and ends the walk (as does a token that does not change).
    const end = listed.at(-1) ?? "";
    const more =
      out.IsTruncated === true &&
      !!out.NextContinuationToken &&
      out.NextContinuationToken !== token &&
      end > lastKey;
    yield { keys, more };
    if (!more) return;
    lastKey = end;
    token = out.NextContinuationToken;
  }
}
