import "server-only";
import { randomUUID } from "node:crypto";
import {
  DeleteObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { createS3Client, type ClientOptions, type StoreCredentials } from "./client";
import { storeError } from "./errors";

// The small surface the rest of the server uses to talk to a store. Every failure leaves here as an
// AppError with an actionable message (see errors.ts); nothing outside lib/server/s3 sees the SDK.

export type { StoreCredentials } from "./client";

async function call<T>(
  c: StoreCredentials,
  ctx: { bucket?: string; key?: string },
  fn: (client: S3Client) => Promise<T>,
  opts?: ClientOptions,
): Promise<T> {
  const client = createS3Client(c, opts);
  try {
    return await fn(client);
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, ...ctx });
  }
}

export interface BucketSummary {
  name: string;
  createdAt: string | null;
}

export async function listBuckets(c: StoreCredentials, opts?: ClientOptions): Promise<BucketSummary[]> {
  return call(
    c,
    {},
    async (s3) => {
      const out = await s3.send(new ListBucketsCommand({}));
      return (out.Buckets ?? []).map((b) => ({
        name: b.Name ?? "",
        createdAt: b.CreationDate ? b.CreationDate.toISOString() : null,
      }));
    },
    opts,
  );
}

/** Whether the bucket holds at least one object (one ListObjectsV2 of one key). */
export async function hasObjects(
  c: StoreCredentials,
  bucket: string,
  opts?: ClientOptions,
): Promise<boolean> {
  return call(
    c,
    { bucket },
    async (s3) =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }))).KeyCount ?? 0) > 0,
    opts,
  );
}

/**
 * Writes and deletes a small object: the only honest check that a key can write to a bucket (OBS has been
 * seen to answer HeadBucket where a real PutObject is refused).
 */
export async function writeProbe(
  c: StoreCredentials,
  bucket: string,
  opts?: ClientOptions,
): Promise<{ step: "put-object" | "delete-object"; error?: unknown }> {
  const key = `.obs-bucket-manager-probe/${randomUUID()}`;
  // No client.destroy(): it would destroy the keep-alive agents that all clients share.
  const client = createS3Client(c, opts);
  const ctx = { endpoint: c.endpoint, region: c.region, bucket, key };
  try {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: "probe", ContentType: "text/plain" }),
    );
  } catch (err) {
    return { step: "put-object", error: storeError(err, ctx) };
  }
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch (err) {
    return { step: "delete-object", error: storeError(err, ctx) };
  }
  return { step: "delete-object" };
}
