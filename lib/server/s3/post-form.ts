import "server-only";
import { createHmac } from "node:crypto";
import type { StoreCredentials } from "./client";
import { bucketAddress } from "./presign";

// Browser POST uploads (S3 "POST Object", OBS "uploading objects with POST"): a multipart form sent to the
// bucket's URL. For a browser it is a CORS "simple" request, so it costs one round trip where a presigned
// PUT costs two (the preflight, then the PUT). The form carries a policy signed here that allows exactly
// one key, exactly one length and one content type, for a short while; the browser adds Content-MD5 (which
// OBS verifies) and the file, and nothing else.

export interface PostFormRequest {
  bucket: string;
  key: string;
  size: number;
  contentType?: string | null;
  expiresIn: number;
  signingDate: Date;
}

export interface PostForm {
  url: string;
  /** The form's fields in order; the browser appends Content-MD5 and then the file (which must be last). */
  fields: Record<string, string>;
}

/** The field the browser fills with the file's base64 MD5 (the policy lets it hold any value). */
export const MD5_FIELD = "Content-MD5";

const amzDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

function hmac(key: string | Buffer, data: string, alg = "sha256"): Buffer {
  return createHmac(alg, key).update(data, "utf8").digest();
}

/**
 * Which signature the form carries. OBS documents browser POST with the V2 form (an access key id, the
 * policy, and an HMAC-SHA1 of it); stores that speak SigV4 (AWS, Ceph RGW, MinIO) get the SigV4 form, which
 * AWS requires in its newer regions. Ceph RGW accepts both, so both are tested against it.
 */
export function postSignatureFor(c: Pick<StoreCredentials, "provider">): "v2" | "v4" {
  return c.provider === "obs" ? "v2" : "v4";
}

export function signPostForm(
  c: StoreCredentials,
  r: PostFormRequest,
  signature: "v2" | "v4" = postSignatureFor(c),
): PostForm {
  const at = bucketAddress(c, r.bucket);
  const url = `${at.protocol}//${at.host}${at.path}/`;
  const expiration = new Date(r.signingDate.getTime() + r.expiresIn * 1000).toISOString();
  // 201: the store answers with an XML document naming the ETag (Ceph RGW sends no ETag header otherwise).
  const fields: Record<string, string> = { key: r.key, success_action_status: "201" };
  if (r.contentType) fields["Content-Type"] = r.contentType;
  const conditions: unknown[] = [
    { bucket: r.bucket },
    { key: r.key },
    { success_action_status: "201" },
    ["content-length-range", r.size, r.size],
    ["eq", "$Content-Type", r.contentType ?? ""],
    ["starts-with", `$${MD5_FIELD}`, ""],
  ];
  if (!r.contentType) conditions.splice(4, 1);
  if (signature === "v4") {
    const day = amzDate(r.signingDate).slice(0, 8);
    const credential = `${c.accessKeyId}/${day}/${c.region}/s3/aws4_request`;
    const extra: Record<string, string> = {
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": credential,
      "X-Amz-Date": amzDate(r.signingDate),
      ...(c.sessionToken ? { "X-Amz-Security-Token": c.sessionToken } : {}),
    };
    for (const [k, v] of Object.entries(extra)) conditions.push({ [k.toLowerCase()]: v });
    const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString("base64");
    const signingKey = ["s3", "aws4_request"].reduce<Buffer>(
      (key, part) => hmac(key, part),
      hmac(hmac(`AWS4${c.secretAccessKey}`, day), c.region),
    );
    return {
      url,
      fields: {
        ...fields,
        ...extra,
        Policy: policy,
        "X-Amz-Signature": hmac(signingKey, policy).toString("hex"),
      },
    };
  }
  if (c.sessionToken) conditions.push({ "x-amz-security-token": c.sessionToken });
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString("base64");
  return {
    url,
    fields: {
      ...fields,
      ...(c.sessionToken ? { "x-amz-security-token": c.sessionToken } : {}),
      AWSAccessKeyId: c.accessKeyId,
      policy,
      signature: hmac(c.secretAccessKey, policy, "sha1").toString("base64"),
    },
  };
}
