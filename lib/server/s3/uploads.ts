import "server-only";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { MAX_PARTS, type IncompleteUpload, type UploadedPart } from "@/lib/validation/uploads";
import { createS3Client, type StoreCredentials } from "./client";
import { mapLimit } from "../concurrency";
import { storeError, storeErrorCode } from "./errors";

// Multipart uploads: the server starts, lists, completes and aborts them; the bytes of every part go from
// the browser to the store on presigned URLs and never through here.

async function run<T>(
  c: StoreCredentials,
  bucket: string,
  key: string | undefined,
  fn: (s3: S3Client) => Promise<T>,
): Promise<T> {
  try {
    return await fn(createS3Client(c));
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}

export function createMultipart(
  c: StoreCredentials,
  bucket: string,
  key: string,
  contentType: string | undefined,
): Promise<string> {
  return run(c, bucket, key, async (s3) => {
    const out = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
    if (!out.UploadId) throw new Error("the store answered CreateMultipartUpload without an upload id");
    return out.UploadId;
  });
}

/** Every part the store holds for an upload (ListParts, a thousand at a time). */
export function listParts(
  c: StoreCredentials,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<UploadedPart[]> {
  return run(c, bucket, key, async (s3) => {
    const parts: UploadedPart[] = [];
    let marker: string | undefined;
    // At most 10,000 parts: 10 pages of 1,000, and the marker must move forward, whatever the store says.
    for (let page = 0; page < MAX_PARTS / 1000; page++) {
      const out = await s3
        .send(
          new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
        )
        .catch((err: unknown) => {
          // Ceph RGW answers NoSuchKey for an upload id it no longer has; say what happened.
          if (storeErrorCode(err) === "NoSuchKey")
            throw Object.assign(new Error("no such upload"), { name: "NoSuchUpload" });
          throw err;
        });
      for (const p of out.Parts ?? []) {
        if (p.PartNumber && p.ETag) parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 });
      }
      const next = out.NextPartNumberMarker;
      if (!out.IsTruncated || !next || Number(next) <= Number(marker ?? 0)) return parts;
      marker = next;
    }
    return parts;
  });
}

export function completeMultipart(
  c: StoreCredentials,
  bucket: string,
  key: string,
  uploadId: string,
  parts: { partNumber: number; etag: string }[],
): Promise<{ etag: string | null }> {
  return run(c, bucket, key, async (s3) => {
    const out = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [...parts]
            .sort((a, b) => a.partNumber - b.partNumber)
            .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
        },
      }),
    );
    if (out.ETag) return { etag: out.ETag };
    // Some stores (Ceph RGW) answer with an empty ETag; the object's HEAD has it.
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { etag: head.ETag ?? null };
  });
}

/** Aborts an upload and frees its parts; an upload that is already gone counts as aborted. */
export function abortMultipart(c: StoreCredentials, bucket: string, key: string, uploadId: string) {
  return run(c, bucket, key, async (s3) => {
    try {
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    } catch (err) {
      if (storeErrorCode(err) !== "NoSuchUpload") throw err;
    }
  });
}

export interface IncompletePage {
  uploads: IncompleteUpload[];
  next: { keyMarker: string; uploadIdMarker: string } | null;
}

/** One page (up to 1,000) of the multipart uploads started and not finished in a bucket. */
export function listIncomplete(
  c: StoreCredentials,
  bucket: string,
  q: { prefix: string; keyMarker?: string; uploadIdMarker?: string; limit: number },
): Promise<IncompletePage> {
  return run(c, bucket, undefined, async (s3) => {
    const out = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: q.prefix || undefined,
        KeyMarker: q.keyMarker,
        UploadIdMarker: q.uploadIdMarker,
        MaxUploads: q.limit,
      }),
    );
    const uploads = (out.Uploads ?? [])
      .filter((u) => u.Key && u.UploadId)
      .map((u) => ({
        key: u.Key!,
        uploadId: u.UploadId!,
        initiated: u.Initiated ? u.Initiated.toISOString() : null,
        storageClass: u.StorageClass ?? null,
      }));
    const last = uploads.at(-1);
    const keyMarker = out.NextKeyMarker ?? last?.key;
    const uploadIdMarker = out.NextUploadIdMarker ?? last?.uploadId;
    const moves = keyMarker !== q.keyMarker || uploadIdMarker !== q.uploadIdMarker;
    return {
      uploads,
      next: out.IsTruncated && keyMarker && uploadIdMarker && moves ? { keyMarker, uploadIdMarker } : null,
    };
  });
}

const LIST_PAGES = 10;

/**
 * Which of `keys` already exist. One listing under the keys' common prefix answers for a whole dropped
 * folder in a request or two; when the listing would be long (a busy folder), the keys it did not reach are
 * asked one by one.
 */
export async function existingKeys(c: StoreCredentials, bucket: string, keys: string[]): Promise<string[]> {
  return (await existingObjects(c, bucket, keys)).map((o) => o.key);
}

export interface StoredObject {
  key: string;
  size: number;
  etag: string | null;
}

/** Which of `keys` exist, with each one's size and ETag (to tell an identical file from a changed one). */
export function existingObjects(
  c: StoreCredentials,
  bucket: string,
  keys: string[],
): Promise<StoredObject[]> {
  return run(c, bucket, undefined, async (s3) => {
    const wanted = [...new Set(keys)].sort();
    if (wanted.length === 0) return [];
    const first = wanted[0]!;
    const last = wanted.at(-1)!;
    let common = first;
    while (!last.startsWith(common)) common = common.slice(0, -1);
    const found = new Map<string, StoredObject>();
    let reached = "";
    let token: string | undefined;
    let done = false;
    for (let page = 0; page < LIST_PAGES && !done; page++) {
      const out = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: common || undefined,
          // Start just before the first wanted key: everything listed before it is of no interest.
          StartAfter: token ? undefined : first.slice(0, -1) || undefined,
          ContinuationToken: token,
          MaxKeys: 1000,
        }),
      );
      for (const o of out.Contents ?? []) {
        if (!o.Key) continue;
        found.set(o.Key, { key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? null });
        reached = o.Key;
      }
      if (
        reached >= last ||
        !out.IsTruncated ||
        !out.NextContinuationToken ||
        out.NextContinuationToken === token
      )
        done = true;
      token = out.NextContinuationToken;
    }
    const present = wanted.flatMap((k) => (found.has(k) ? [found.get(k)!] : []));
    if (done) return present;
    const rest = wanted.filter((k) => k > reached);
    const heads = await mapLimit(rest, 16, async (key): Promise<StoredObject | null> => {
      try {
        const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { key, size: h.ContentLength ?? 0, etag: h.ETag ?? null };
      } catch (err) {
        const code = storeErrorCode(err);
        if (code !== "NotFound" && code !== "NoSuchKey") throw err;
        return null;
      }
    });
    return [...present, ...heads.filter((h): h is StoredObject => h !== null)];
  });
}
