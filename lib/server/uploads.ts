import "server-only";
import type { z } from "zod";
import type { CorsRule } from "@/lib/validation/buckets";
import {
  MULTIPART_THRESHOLD,
  partCountFor,
  partSizeFor,
  type abortStaleSchema,
  type completeUploadSchema,
  type incompleteQuerySchema,
  type UploadFile,
  type UploadPlan,
  type UploadReport,
} from "@/lib/validation/uploads";
import { canPath } from "@/lib/access/scope";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { mapLimit } from "./concurrency";
import { AppError } from "./http/app-error";
import { log } from "./log";
import { getCors } from "./s3/buckets";
import type { StoreCredentials } from "./s3/client";
import { storeErrorCode } from "./s3/errors";
import { signPostForm } from "./s3/post-form";
import { signer } from "./s3/presign";
import {
  abortMultipart,
  completeMultipart,
  createMultipart,
  existingObjects,
  listIncomplete,
  listParts,
} from "./s3/uploads";

// Uploads: this server plans and signs; the bytes go from the browser straight to the store.

/** Long enough for a queue of small files or a slow part; the browser asks again when one expires. */
const URL_SECONDS = 3600;
/** A form's policy lives shorter: it is signed just ahead of use (the browser asks again when one expires). */
const FORM_SECONDS = 900;

function originMatches(pattern: string, origin: string): boolean {
  if (pattern === "*" || pattern === origin) return true;
  if (!pattern.includes("*")) return false;
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(origin);
}

/** Whether one of the rules lets `origin` PUT with any header and read ETag (what the uploader needs). */
export function corsAllowsUploads(rules: CorsRule[], origin: string): boolean {
  return rules.some(
    (r) =>
      r.allowedOrigins.some((o) => originMatches(o, origin)) &&
      r.allowedMethods.includes("PUT") &&
      r.exposeHeaders.some((h) => h.toLowerCase() === "etag") &&
      (r.allowedHeaders.includes("*") ||
        ["content-md5", "content-type"].every((h) => r.allowedHeaders.some((a) => a.toLowerCase() === h))),
  );
}

/** Whether one of the rules lets `origin` POST (a form upload is a "simple" request: no headers needed). */
export function corsAllowsPost(rules: CorsRule[], origin: string): boolean {
  return rules.some(
    (r) => r.allowedOrigins.some((o) => originMatches(o, origin)) && r.allowedMethods.includes("POST"),
  );
}

// Good answers only: a bucket just fixed must be checked again at once.
const corsOk = new Map<string, { until: number; post: boolean }>();
const CORS_OK_MS = 60_000;

/**
 * Refuses (409, CorsNotAllowed) when the bucket's CORS rules would make the browser refuse uploads from
 * `origin`. Returns whether they allow POST forms too (true when there is no origin or the rules cannot be
 * read: the browser then finds out, and falls back to PUT by itself).
 */
export async function checkUploadCors(
  creds: StoreCredentials,
  bucket: string,
  origin: string | null,
): Promise<{ post: boolean }> {
  if (!origin) return { post: true };
  const cacheKey = `${creds.endpoint}\n${bucket}\n${origin}`;
  const cached = corsOk.get(cacheKey);
  if (cached && cached.until > Date.now()) return { post: cached.post };
  let rules: CorsRule[];
  try {
    rules = await getCors(creds, bucket);
  } catch (err) {
    // A key that may upload but not read CORS: let the browser find out; the page explains a CORS failure.
    if (err instanceof AppError && err.details?.storeCode === "AccessDenied") return { post: true };
    throw err;
  }
  if (!corsAllowsUploads(rules, origin)) {
    throw new AppError(
      "conflict",
      `Bucket ${bucket} does not let this app's pages upload to it (its CORS rules do not allow ${origin} to PUT and read ETag). Allow uploads from this app in the bucket's settings, or with the button here.`,
      { details: { storeCode: "CorsNotAllowed", origin } },
    );
  }
  if (corsOk.size >= 1000) corsOk.delete(corsOk.keys().next().value!);
  // Per process: another instance may trust a rule removed elsewhere for up to a minute, and then the
  // browser's own CORS check refuses the upload (the page explains it).
  const post = corsAllowsPost(rules, origin);
  corsOk.set(cacheKey, { until: Date.now() + CORS_OK_MS, post });
  return { post };
}

export function forgetCorsCheck(bucket: string) {
  for (const k of corsOk.keys()) if (k.split("\n")[1] === bucket) corsOk.delete(k);
}

export interface PlanOptions {
  /** The browser can send POST forms (it says false after finding the store refuses them). */
  form?: boolean;
  /** Bytes a second per request in flight, as the browser measured them: parts sized for the link. */
  linkBytesPerSecond?: number;
}

export async function planUploads(
  store: StoreAccess,
  bucket: string,
  files: UploadFile[],
  origin: string | null,
  audit: AuditNote,
  options: PlanOptions = {},
): Promise<{ uploads: UploadPlan[] }> {
  audit.count = files.length;
  audit.bytes = files.reduce((n, f) => n + f.size, 0);
  const creds = await store.bucketCreds(bucket);
  const cors = await checkUploadCors(creds, bucket, origin);
  const form = options.form === true && cors.post;
  const sign = signer(creds);
  const signingDate = new Date();
  const expiresAt = new Date(signingDate.getTime() + URL_SECONDS * 1000).toISOString();
  const formExpiresAt = new Date(signingDate.getTime() + FORM_SECONDS * 1000).toISOString();
  const uploads = await mapLimit(files, 8, async (f): Promise<UploadPlan> => {
    if (f.size <= MULTIPART_THRESHOLD && form) {
      const post = signPostForm(creds, {
        bucket,
        key: f.key,
        size: f.size,
        contentType: f.contentType ?? null,
        expiresIn: FORM_SECONDS,
        signingDate,
      });
      return { kind: "form", key: f.key, url: post.url, fields: post.fields, expiresAt: formExpiresAt };
    }
    if (f.size <= MULTIPART_THRESHOLD) {
      const url = await sign({
        bucket,
        key: f.key,
        method: "PUT",
        expiresIn: URL_SECONDS,
        signingDate,
        contentType: f.contentType ?? null,
      });
      return {
        kind: "single",
        key: f.key,
        url,
        headers: f.contentType ? { "content-type": f.contentType } : {},
        expiresAt,
      };
    }
    const partSize = partSizeFor(f.size, options.linkBytesPerSecond);
    return {
      kind: "multipart",
      key: f.key,
      uploadId: await createMultipart(creds, bucket, f.key, f.contentType),
      partSize,
      partCount: partCountFor(f.size, partSize),
    };
  });
  const multipart = uploads.filter((u) => u.kind === "multipart").length;
  if (multipart > 0)
    log.info("multipart uploads started", { userId: store.user.userId, bucket, count: multipart });
  return { uploads };
}

export async function findConflicts(store: StoreAccess, bucket: string, keys: string[]) {
  const creds = await store.bucketCreds(bucket);
  const objects = await existingObjects(creds, bucket, keys);
  return { existing: objects.map((o) => o.key), objects };
}

export async function signParts(
  store: StoreAccess,
  bucket: string,
  uploadId: string,
  input: { key: string; partNumbers: number[] },
) {
  const creds = await store.bucketCreds(bucket);
  const sign = signer(creds);
  const signingDate = new Date();
  const urls: Record<string, string> = {};
  for (const partNumber of input.partNumbers) {
    urls[String(partNumber)] = await sign({
      bucket,
      key: input.key,
      method: "PUT",
      expiresIn: URL_SECONDS,
      signingDate,
      part: { uploadId, partNumber },
    });
  }
  return { urls, expiresAt: new Date(signingDate.getTime() + URL_SECONDS * 1000).toISOString() };
}

export async function partsOf(store: StoreAccess, bucket: string, uploadId: string, key: string) {
  const creds = await store.bucketCreds(bucket);
  return { parts: await listParts(creds, bucket, key, uploadId) };
}

export async function completeUpload(
  store: StoreAccess,
  bucket: string,
  uploadId: string,
  input: z.output<typeof completeUploadSchema>,
  audit: AuditNote,
) {
  const creds = await store.bucketCreds(bucket);
  const { etag } = await completeMultipart(creds, bucket, input.key, uploadId, input.parts);
  audit.count = 1;
  if (input.size !== undefined) audit.bytes = input.size;
  audit.details = { parts: input.parts.length };
  return { key: input.key, etag };
}

export async function abortUpload(store: StoreAccess, bucket: string, uploadId: string, key: string) {
  const creds = await store.bucketCreds(bucket);
  await abortMultipart(creds, bucket, key, uploadId);
  log.info("multipart upload aborted", { userId: store.user.userId, bucket });
  return { aborted: true };
}

const encodeCursor = (c: { keyMarker: string; uploadIdMarker: string }) =>
  Buffer.from(JSON.stringify([c.keyMarker, c.uploadIdMarker])).toString("base64url");
function decodeCursor(raw: string | undefined) {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "string" && x)) {
      return { keyMarker: v[0] as string, uploadIdMarker: v[1] as string };
    }
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "cursor: is not a cursor this server gave out");
}

export async function incompleteUploads(
  store: StoreAccess,
  bucket: string,
  q: z.output<typeof incompleteQuerySchema>,
) {
  const creds = await store.bucketCreds(bucket);
  const page = await listIncomplete(creds, bucket, {
    prefix: q.prefix,
    limit: q.limit,
    ...decodeCursor(q.cursor),
  });
  // Listed from above a grantee's folders: only the uploads inside them are theirs to see.
  const uploads = page.uploads.filter((u) => canPath(store.access, "uploader", bucket, u.key));
  return { uploads, nextCursor: page.next ? encodeCursor(page.next) : null };
}

/**
 * One step of "abort every upload started more than N days ago": a page of the listing, its old uploads
 * aborted, and where to go on. The page repeats the call with `nextCursor` until it is null.
 */
export async function abortStaleStep(
  store: StoreAccess,
  bucket: string,
  input: z.output<typeof abortStaleSchema>,
  audit: AuditNote,
) {
  const creds = await store.bucketCreds(bucket);
  const page = await listIncomplete(creds, bucket, {
    prefix: input.prefix,
    limit: 1000,
    ...decodeCursor(input.cursor),
  });
  const cutoff = Date.now() - input.olderThanDays * 24 * 3600 * 1000;
  const visible = page.uploads.filter((u) => canPath(store.access, "uploader", bucket, u.key));
  const stale = visible.filter((u) => u.initiated !== null && Date.parse(u.initiated) <= cutoff);
  const errors: { key: string; uploadId: string; message: string }[] = [];
  await mapLimit(stale, 8, async (u) => {
    try {
      await abortMultipart(creds, bucket, u.key, u.uploadId);
    } catch (err) {
      errors.push({
        key: u.key,
        uploadId: u.uploadId,
        message: err instanceof AppError ? err.message : storeErrorCode(err),
      });
    }
  });
  const aborted = stale.length - errors.length;
  audit.count = aborted;
  audit.details = { olderThanDays: input.olderThanDays, errors: errors.length };
  if (aborted > 0) log.info("stale uploads aborted", { userId: store.user.userId, bucket, count: aborted });
  return {
    aborted,
    kept: visible.length - stale.length,
    errors,
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}

/** A finished drop, for the audit log (its single PUTs went to the store without passing here). */
export function reportUploads(input: UploadReport, audit: AuditNote) {
  audit.count = input.uploaded;
  audit.bytes = input.bytes;
  audit.details = { failed: input.failed, skipped: input.skipped, cancelled: input.cancelled };
  return { ok: true as const };
}
