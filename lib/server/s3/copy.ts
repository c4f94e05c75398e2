import "server-only";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  UploadPartCopyCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { CopyObjectsInput, CopyResult } from "@/lib/validation/objects";

export type StorageClass = "STANDARD" | "STANDARD_IA" | "GLACIER" | "DEEP_ARCHIVE";
import { env } from "../env";
import { createS3Client, type StoreCredentials } from "./client";
import { storeError, storeErrorCode } from "./errors";

const BATCH = 100;
const PART = 512 * 1024 * 1024;

const copySource = (bucket: string, key: string, versionId?: string) =>
  `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ""}`;

/** The headers and metadata an object is served with, as the metadata editor changes them. */
export interface ObjectHeaders {
  contentType?: string;
  contentDisposition?: string;
  cacheControl?: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
}

/** Where one source key goes: its path relative to `from`, under `to`, with the renamed first segment. */
export function targetKey(
  input: Pick<CopyObjectsInput, "from" | "to" | "rename">,
  item: string,
  key: string,
): string {
  const relative = key.slice(input.from.length);
  if (input.rename === undefined) return `${input.to}${relative}`;
  const itemRelative = item.slice(input.from.length);
  const rest = relative.slice(itemRelative.length); // "" for a key, the inside of the folder for a prefix
  return `${input.to}${input.rename}${item.endsWith("/") ? "/" : ""}${rest}`;
}

/**
 * Copies one object server-side (part by part above the threshold) and confirms the copy. With a storage
 * class, the copy gets that class: copying an object onto itself is how its class changes. With
 * `sourceVersionId`, an older version is copied (over the current one: restoring it). With `headers`, the
 * copy is served with these instead (the metadata editor), its storage class kept.
 */
export async function copyOne(
  s3: S3Client,
  bucket: string,
  source: string,
  target: string,
  opts: { storageClass?: StorageClass; sourceVersionId?: string; headers?: ObjectHeaders } = {},
): Promise<void> {
  const version = opts.sourceVersionId ? { VersionId: opts.sourceVersionId } : {};
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: source, ...version }));
  const size = head.ContentLength ?? 0;
  const from = copySource(bucket, source, opts.sourceVersionId);
  const h = opts.headers;
  // What the copy is served with: the source's headers, or the editor's.
  const served = h
    ? {
        ContentType: h.contentType,
        ContentDisposition: h.contentDisposition,
        CacheControl: h.cacheControl,
        ContentEncoding: h.contentEncoding,
        Metadata: h.metadata,
      }
    : {
        ContentType: head.ContentType,
        ContentDisposition: head.ContentDisposition,
        CacheControl: head.CacheControl,
        ContentEncoding: head.ContentEncoding,
        Metadata: head.Metadata,
      };
  // An edit keeps the class (an object with no class reported is STANDARD, whatever the bucket's default).
  const storageClass =
    opts.storageClass ?? (h ? ((head.StorageClass ?? "STANDARD") as StorageClass) : undefined);
  if (size <= env().S3_MULTIPART_COPY_THRESHOLD_BYTES) {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: target,
        CopySource: from,
        ...(h ? { MetadataDirective: "REPLACE", ...served } : { MetadataDirective: "COPY" }),
        ...(storageClass ? { StorageClass: storageClass } : {}),
      }),
    );
  } else {
    // Above 5 GB a single copy is refused: copy byte ranges as parts, server-side.
    const upload = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: target,
        ...served,
        StorageClass: storageClass ?? head.StorageClass,
      }),
    );
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      const partSize = Math.max(PART, Math.ceil(size / 10_000), 5 * 1024 * 1024);
      for (let start = 0, n = 1; start < size; start += partSize, n++) {
        const end = Math.min(size, start + partSize) - 1;
        const out = await s3.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: target,
            UploadId: upload.UploadId,
            PartNumber: n,
            CopySource: from,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ ETag: out.CopyPartResult?.ETag ?? "", PartNumber: n });
      }
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: target,
          UploadId: upload.UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (err) {
      await s3
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: target, UploadId: upload.UploadId }))
        .catch(() => undefined);
      throw err;
    }
  }
  // Confirm before anyone may delete the source: the copy exists with the same size, and the same ETag
  // where the ETag is a plain MD5 (a multipart ETag depends on the part layout).
  const copied = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: target }));
  const plain = (e: string | undefined) => !!e && !e.includes("-");
  if (
    copied.ContentLength !== size ||
    (plain(head.ETag) && plain(copied.ETag) && head.ETag !== copied.ETag)
  ) {
    throw Object.assign(new Error("copy does not match its source"), { name: "CopyMismatch" });
  }
}

/**
 * One step of a copy or move: up to 100 objects (selected keys first, then each selected folder's contents),
 * each copied server-side and confirmed; only then, for a move, the confirmed sources are deleted in one
 * batch. A source whose copy failed or did not match stays where it was and is reported.
 */
export async function copyStep(
  c: StoreCredentials,
  bucket: string,
  input: CopyObjectsInput,
): Promise<CopyResult> {
  const s3 = createS3Client(c);
  const cursor = input.cursor ?? { keyIndex: 0, prefixIndex: 0 };
  const work: { item: string; key: string }[] = [];
  let next: CopyResult["next"] = null;
  try {
    if (cursor.keyIndex < input.keys.length) {
      const slice = input.keys.slice(cursor.keyIndex, cursor.keyIndex + BATCH);
      work.push(...slice.map((k) => ({ item: k, key: k })));
      const keyIndex = cursor.keyIndex + slice.length;
      next = keyIndex < input.keys.length || input.prefixes.length > 0 ? { keyIndex, prefixIndex: 0 } : null;
    } else {
      const prefix = input.prefixes[cursor.prefixIndex];
      if (prefix !== undefined) {
        const listed = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            MaxKeys: BATCH,
            ...(cursor.after ? { StartAfter: cursor.after } : {}),
          }),
        );
        const keys = (listed.Contents ?? []).map((o) => o.Key ?? "").filter(Boolean);
        work.push(...keys.map((k) => ({ item: prefix, key: k })));
        const last = keys[keys.length - 1];
        // StartAfter must move forward: a store listing the same keys again ends this folder's walk.
        next =
          listed.IsTruncated && last && last > (cursor.after ?? "")
            ? { keyIndex: cursor.keyIndex, prefixIndex: cursor.prefixIndex, after: last }
            : cursor.prefixIndex + 1 < input.prefixes.length
              ? { keyIndex: cursor.keyIndex, prefixIndex: cursor.prefixIndex + 1 }
              : null;
      }
    }
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
  }

  const errors: CopyResult["errors"] = [];
  const confirmed: string[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < work.length) {
        const { item, key } = work[i++]!;
        const target = targetKey(input, item, key);
        if (target === key) {
          errors.push({ key, code: "SameKey", message: "source and destination are the same" });
          continue;
        }
        try {
          await copyOne(s3, bucket, key, target);
          confirmed.push(key);
        } catch (err) {
          const code =
            (err as { name?: string }).name === "CopyMismatch" ? "CopyMismatch" : storeErrorCode(err);
          errors.push({
            key,
            code,
            message: code === "CopyMismatch" ? "the copy does not match its source" : "not copied",
          });
        }
      }
    }),
  );
  let removed = 0;
  if (input.move && confirmed.length > 0) {
    try {
      const out = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: confirmed.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      for (const e of out.Errors ?? []) {
        errors.push({
          key: e.Key ?? "",
          code: e.Code ?? "Unknown",
          message: "copied, but the source was not deleted",
        });
      }
      removed = confirmed.length - (out.Errors?.length ?? 0);
    } catch (err) {
      throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
    }
  }
  // A move's deleted sources are gone, so the next listing of the folder starts where this one did.
  if (input.move && next?.after && next.prefixIndex === cursor.prefixIndex && errors.length === 0) {
    next = {
      keyIndex: next.keyIndex,
      prefixIndex: next.prefixIndex,
      ...(cursor.after ? { after: cursor.after } : {}),
    };
  }
  return { copied: confirmed.length, removed, errors, next, done: next === null };
}
