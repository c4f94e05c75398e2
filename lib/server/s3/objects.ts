import "server-only";
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { z } from "zod";
import type { DeleteResult, ListObjectsResult, ObjectDetails, SummaryResult } from "@/lib/validation/objects";
import { AppError } from "../http/app-error";
import { createS3Client, type StoreCredentials } from "./client";
import { copyOne, type StorageClass } from "./copy";
import { storeError } from "./errors";

// The cursor the page keeps in its URL: which listing API answered and where it stopped. Opaque to the
// page; parsed here, so a tampered cursor is a 400, not a store error.
const cursorSchema = z.union([
  z.object({ v: z.literal(2), t: z.string().min(1) }),
  z.object({ v: z.literal(1), m: z.string().min(1) }),
]);
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw new AppError("validation_failed", "cursor: is not a cursor this server gave out");
  }
}

interface RawPage {
  folders: (string | undefined)[];
  objects: { Key?: string; Size?: number; LastModified?: Date; ETag?: string; StorageClass?: string }[];
  next: Cursor | null;
}

/**
 * One folder level (prefix + "/" delimiter), up to `limit` entries from `cursor`. ListObjectsV2 first; a
 * store that does not offer it (OBS parallel-file-system buckets) gets ListObjects v1 with a marker.
 */
export async function listFolder(
  c: StoreCredentials,
  bucket: string,
  q: { prefix: string; cursor?: string; limit: number },
): Promise<ListObjectsResult> {
  const s3 = createS3Client(c);
  const cursor = decodeCursor(q.cursor);
  const ctx = { endpoint: c.endpoint, region: c.region, bucket };
  const v1 = async (marker?: string): Promise<RawPage> => {
    const out = await s3.send(
      new ListObjectsCommand({
        Bucket: bucket,
        Prefix: q.prefix,
        Delimiter: "/",
        MaxKeys: q.limit,
        Marker: marker,
      }),
    );
    const last = [
      ...(out.Contents ?? []).map((o) => o.Key ?? ""),
      ...(out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""),
    ]
      .sort()
      .pop();
    const nextMarker = out.NextMarker ?? last;
    return {
      folders: (out.CommonPrefixes ?? []).map((p) => p.Prefix),
      objects: out.Contents ?? [],
      next: out.IsTruncated && nextMarker && nextMarker !== marker ? { v: 1, m: nextMarker } : null,
    };
  };
  let page: RawPage;
  try {
    if (cursor?.v === 1) page = await v1(cursor.m);
    else {
      try {
        const out = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: q.prefix,
            Delimiter: "/",
            MaxKeys: q.limit,
            ...(cursor?.v === 2 ? { ContinuationToken: cursor.t } : {}),
          }),
        );
        page = {
          folders: (out.CommonPrefixes ?? []).map((p) => p.Prefix),
          objects: out.Contents ?? [],
          next:
            out.IsTruncated && out.NextContinuationToken && out.NextContinuationToken !== cursor?.t
              ? { v: 2, t: out.NextContinuationToken }
              : null,
        };
      } catch (err) {
        const code = storeError(err, ctx).details?.storeCode;
        if (cursor || (code !== "NotImplemented" && code !== "MethodNotAllowed")) throw err;
        page = await v1();
      }
    }
  } catch (err) {
    throw storeError(err, ctx);
  }
  return {
    prefix: q.prefix,
    folders: page.folders.filter((p): p is string => !!p).map((prefix) => ({ prefix })),
    objects: page.objects
      // The folder's own zero-byte marker ("a/b/") is the folder, not an entry inside it.
      .filter((o) => o.Key && o.Key !== q.prefix)
      .map((o) => ({
        key: o.Key!,
        size: o.Size ?? 0,
        lastModified: o.LastModified ? o.LastModified.toISOString() : null,
        etag: o.ETag ?? null,
        storageClass: o.StorageClass ?? null,
      })),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}

/** A folder as Huawei's console makes one: a zero-byte object whose key ends in "/". */
export async function putFolderMarker(c: StoreCredentials, bucket: string, key: string): Promise<void> {
  try {
    // An explicit zero-length body: an empty string makes the SDK warn about a stream of unknown length.
    await createS3Client(c).send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0), ContentLength: 0 }),
    );
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}

async function deleteBatch(
  s3: S3Client,
  bucket: string,
  keys: string[],
): Promise<Pick<DeleteResult, "deleted" | "errors">> {
  if (keys.length === 0) return { deleted: 0, errors: [] };
  // One DeleteObjects of at most 1,000 keys, sent with Content-MD5 (OBS requires it; see client.ts).
  const out = await s3.send(
    new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
    }),
  );
  const errors = (out.Errors ?? []).map((e) => ({
    key: e.Key ?? "",
    code: e.Code ?? "Unknown",
    message: e.Message || e.Code || "not deleted",
  }));
  return { deleted: keys.length - errors.length, errors };
}

/**
 * One step of a delete: the given keys (one batch), or the next batch of up to 1,000 objects under the
 * cursor's folder. Deleted objects are gone, so the next listing starts at the same place again; keys the
 * store refused are stepped over (`after`), reported, and never retried in a loop.
 */
export async function deleteStep(
  c: StoreCredentials,
  bucket: string,
  req: { keys: string[]; prefixes: string[]; cursor?: { prefixIndex: number; after?: string } },
): Promise<DeleteResult> {
  const s3 = createS3Client(c);
  const ctx = { endpoint: c.endpoint, region: c.region, bucket };
  try {
    if (req.keys.length > 0 && !req.cursor) {
      const r = await deleteBatch(s3, bucket, req.keys);
      const more = req.prefixes.length > 0;
      return { ...r, next: more ? { prefixIndex: 0 } : null, done: !more };
    }
    const cursor = req.cursor ?? { prefixIndex: 0 };
    const prefix = req.prefixes[cursor.prefixIndex];
    if (prefix === undefined) return { deleted: 0, errors: [], next: null, done: true };
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: 1000,
        ...(cursor.after ? { StartAfter: cursor.after } : {}),
      }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? "").filter(Boolean);
    const r = await deleteBatch(s3, bucket, keys);
    const after = r.errors.length > 0 ? keys[keys.length - 1] : cursor.after;
    // A store that says "more" but lists nothing would make the page ask forever: that folder is done.
    const next =
      listed.IsTruncated && keys.length > 0
        ? { prefixIndex: cursor.prefixIndex, ...(after ? { after } : {}) }
        : cursor.prefixIndex + 1 < req.prefixes.length
          ? { prefixIndex: cursor.prefixIndex + 1 }
          : null;
    return { ...r, next, done: next === null };
  } catch (err) {
    throw storeError(err, ctx);
  }
}

/** One page (up to 1,000 objects, recursively) of a folder's summary; the page adds the pages up. */
export async function summaryStep(
  c: StoreCredentials,
  bucket: string,
  prefix: string,
  cursor: string | undefined,
): Promise<SummaryResult> {
  try {
    const out = await createS3Client(c).send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: 1000,
        ...(cursor ? { ContinuationToken: cursor } : {}),
      }),
    );
    const result: SummaryResult = { objects: 0, bytes: 0, extensions: [], subfolders: [], nextCursor: null };
    // Maps, not objects: names come from the store ("__proto__/" is a valid folder).
    const extensions = new Map<string, number>();
    const subfolders = new Map<string, number>();
    for (const o of out.Contents ?? []) {
      const key = o.Key ?? "";
      if (!key || key.endsWith("/")) continue; // folder markers are not data
      result.objects++;
      result.bytes += o.Size ?? 0;
      const rest = key.slice(prefix.length);
      const name = rest.split("/").pop() ?? "";
      const dot = name.lastIndexOf(".");
      const ext = dot > 0 ? name.slice(dot).toLowerCase() : "";
      extensions.set(ext, (extensions.get(ext) ?? 0) + 1);
      if (rest.includes("/")) {
        const sub = rest.slice(0, rest.indexOf("/"));
        subfolders.set(sub, (subfolders.get(sub) ?? 0) + 1);
      }
    }
    result.extensions = [...extensions].map(([name, count]) => ({ name, count }));
    result.subfolders = [...subfolders].map(([name, count]) => ({ name, count }));
    // A token that does not move (or an empty "more" page) ends the walk: a store cannot keep it going.
    result.nextCursor =
      out.IsTruncated &&
      out.NextContinuationToken &&
      out.NextContinuationToken !== cursor &&
      (out.KeyCount ?? 1) > 0
        ? out.NextContinuationToken
        : null;
    return result;
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
  }
}

/**
 * An archived object's restore state from the store's Restore header: `ongoing-request="true"` while it
 * runs, `ongoing-request="false", expiry-date="…"` once readable (until that date).
 */
export function restoreStateOf(storageClass: string, header: string | undefined): ObjectDetails["restore"] {
  const archived = storageClass === "GLACIER" || storageClass === "DEEP_ARCHIVE";
  if (!archived) return { status: "none", expiresAt: null };
  if (!header) return { status: "archived", expiresAt: null };
  if (/ongoing-request="true"/i.test(header)) return { status: "in-progress", expiresAt: null };
  const expiry = /expiry-date="([^"]+)"/i.exec(header)?.[1];
  const at = expiry ? new Date(expiry) : null;
  return {
    status: "restored",
    expiresAt: at && !Number.isNaN(at.getTime()) ? at.toISOString() : null,
  };
}

export async function headObject(
  c: StoreCredentials,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<ObjectDetails> {
  try {
    const out = await createS3Client(c).send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    const storageClass = out.StorageClass ?? "STANDARD";
    const restore = restoreStateOf(storageClass, out.Restore);
    return {
      key,
      size: out.ContentLength ?? 0,
      lastModified: out.LastModified ? out.LastModified.toISOString() : null,
      etag: out.ETag ?? null,
      storageClass,
      contentType: out.ContentType ?? null,
      contentDisposition: out.ContentDisposition ?? null,
      cacheControl: out.CacheControl ?? null,
      contentEncoding: out.ContentEncoding ?? null,
      metadata: out.Metadata ?? {},
      restoreRequired: restore.status === "archived" || restore.status === "in-progress",
      restore,
    };
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}

/** Changes an object's storage class by copying it onto itself, metadata kept (part by part above 5 GB). */
export async function setStorageClass(
  c: StoreCredentials,
  bucket: string,
  key: string,
  storageClass: StorageClass,
): Promise<void> {
  try {
    await copyOne(createS3Client(c), bucket, key, key, { storageClass });
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}
