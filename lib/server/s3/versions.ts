import "server-only";
import { DeleteObjectCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { VersionEntry, VersionsResult } from "@/lib/validation/versions";
import { AppError } from "../http/app-error";
import { createS3Client, type StoreCredentials } from "./client";
import { copyOne } from "./copy";
import { storeError, storeErrorCode } from "./errors";

// Versions of objects (a versioned bucket): listed a page at a time, restored by copying a version over
// the current one (part by part above 5 GB), deleted for good, and deleted objects brought back by removing
// their latest delete marker.

const cursorSchema = z.object({ k: z.string(), v: z.string().optional() });
const encode = (k: string, v: string | undefined) =>
  Buffer.from(JSON.stringify({ k, ...(v ? { v } : {}) })).toString("base64url");
function decode(raw: string | undefined) {
  if (!raw) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw new AppError("validation_failed", "cursor: is not a cursor this server gave out");
  }
}

/**
 * One page (up to 500 entries) of versions and delete markers: of one folder level (with its sub-folders),
 * of one key, or only the objects of the level whose latest version is a delete marker.
 */
export async function listVersions(
  c: StoreCredentials,
  bucket: string,
  q: { prefix: string; key?: string; deleted?: boolean; cursor?: string },
): Promise<VersionsResult> {
  const cursor = decode(q.cursor);
  try {
    const out = await createS3Client(c).send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: q.key ?? q.prefix,
        ...(q.key ? {} : { Delimiter: "/" }),
        MaxKeys: 500,
        ...(cursor ? { KeyMarker: cursor.k, ...(cursor.v ? { VersionIdMarker: cursor.v } : {}) } : {}),
      }),
    );
    const versions: VersionEntry[] = [
      ...(out.Versions ?? []).map((v) => ({
        key: v.Key ?? "",
        versionId: v.VersionId ?? "null",
        isLatest: v.IsLatest === true,
        deleteMarker: false,
        size: v.Size ?? 0,
        lastModified: v.LastModified?.toISOString() ?? null,
        etag: v.ETag ?? null,
        storageClass: v.StorageClass ?? null,
      })),
      ...(out.DeleteMarkers ?? []).map((m) => ({
        key: m.Key ?? "",
        versionId: m.VersionId ?? "null",
        isLatest: m.IsLatest === true,
        deleteMarker: true,
        size: 0,
        lastModified: m.LastModified?.toISOString() ?? null,
        etag: null,
        storageClass: null,
      })),
    ]
      .filter((v) => v.key && (!q.key || v.key === q.key))
      // Each key's versions newest first, keys in order.
      .sort((a, b) =>
        a.key === b.key ? (b.lastModified ?? "").localeCompare(a.lastModified ?? "") : a.key < b.key ? -1 : 1,
      );
    const shown = q.deleted ? versions.filter((v) => v.deleteMarker && v.isLatest) : versions;
    const next =
      out.IsTruncated &&
      out.NextKeyMarker &&
      (out.NextKeyMarker !== cursor?.k || out.NextVersionIdMarker !== cursor?.v)
        ? encode(out.NextKeyMarker, out.NextVersionIdMarker)
        : null;
    return {
      prefix: q.prefix,
      folders: q.key
        ? []
        : (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [{ prefix: p.Prefix }] : [])),
      versions: shown,
      nextCursor: next,
    };
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
  }
}

/** Copies a version over the current object (which then becomes the newest version). */
export async function restoreVersion(c: StoreCredentials, bucket: string, key: string, versionId: string) {
  try {
    await copyOne(createS3Client(c), bucket, key, key, { sourceVersionId: versionId });
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}

/** Deletes one version (or delete marker) for good. */
export async function deleteVersion(c: StoreCredentials, bucket: string, key: string, versionId: string) {
  try {
    await createS3Client(c).send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}

/** Brings deleted objects back: each key's latest delete marker is removed (keys not deleted are left). */
export async function undelete(c: StoreCredentials, bucket: string, keys: string[]) {
  const s3 = createS3Client(c);
  let restored = 0;
  const errors: { key: string; code: string; message: string }[] = [];
  for (const key of keys) {
    try {
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 50 }));
      const marker = (out.DeleteMarkers ?? []).find((m) => m.Key === key && m.IsLatest);
      if (!marker?.VersionId) continue;
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: marker.VersionId }));
      restored++;
    } catch (err) {
      // The store's code, and our message for it (never the raw error).
      errors.push({
        key,
        code: storeErrorCode(err),
        message: storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key }).message,
      });
    }
  }
  return { restored, errors };
}
