import { z } from "zod";
import { idSchema, NO_NUL, noNul } from "./ids";
import { bucketNameSchema } from "./buckets";
import { objectKeySchema } from "./links";
import { prefixSchema } from "./objects";

// The upload API: the server plans and signs, the browser sends the bytes straight to the store.

const MiB = 1024 * 1024;
/** Files above this go in parts; below it one PUT is cheaper (one request instead of three). */
export const MULTIPART_THRESHOLD = 16 * MiB;
export const MIN_PART_SIZE = 8 * MiB;
export const MAX_PARTS = 10_000;
/** OBS's largest object (48.8 TB); S3 allows 5 TiB, and the store says so if it is smaller. */
export const MAX_OBJECT_BYTES = 48.8 * 1024 ** 4;

/** The largest part chosen for a fast link (a retry resends a whole part; resume keeps whole parts). */
export const MAX_LINK_PART_SIZE = 64 * MiB;
/** How long a part should take on the link, at least: its round trips (preflight, PUT) stay small beside it. */
export const PART_SECONDS = 2;

/**
 * max(8 MiB, size / 10,000) rounded up to whole MiB, so every file fits in 10,000 parts; on a link measured
 * at `bytesPerSecond` per request, large enough to take PART_SECONDS (up to 64 MiB), and never more than
 * a quarter of the file, so a file still goes as several parts in parallel.
 */
export function partSizeFor(size: number, bytesPerSecond = 0): number {
  const forCount = Math.ceil(size / MAX_PARTS / MiB) * MiB;
  // A power of two (8, 16, 32, 64 MiB): "skip identical files" can then guess the part size from the ETag.
  let forLink = MIN_PART_SIZE;
  while (forLink < MAX_LINK_PART_SIZE && forLink < bytesPerSecond * PART_SECONDS && forLink * 2 <= size / 4)
    forLink *= 2;
  return Math.max(MIN_PART_SIZE, forCount, forLink);
}
export const partCountFor = (size: number, partSize: number) => Math.max(1, Math.ceil(size / partSize));

export const contentTypeSchema = z
  .string()
  .max(255, { error: "must be at most 255 characters" })
  .regex(/^[\w.+-]+\/[\w.+-]+$/, { error: "must be a media type such as image/jpeg" });

export const uploadFileSchema = z.object({
  key: objectKeySchema,
  size: z
    .number({ error: "must be a number of bytes" })
    .int({ error: "must be a whole number of bytes" })
    .min(0, { error: "must not be negative" })
    .max(MAX_OBJECT_BYTES, { error: "must be at most 48.8 TB (the largest object OBS stores)" }),
  contentType: contentTypeSchema.optional(),
});
export type UploadFile = z.infer<typeof uploadFileSchema>;

export const MAX_PLAN_FILES = 100;
export const planUploadsSchema = z.object({
  files: z
    .array(uploadFileSchema)
    .min(1, { error: "must name at least one file" })
    .max(MAX_PLAN_FILES, { error: `must name at most ${MAX_PLAN_FILES} files per request` }),
  /**
   * The browser can send small files as POST forms (one round trip each instead of two). It says false once
   * it found that this store refuses them, and gets presigned PUTs again.
   */
  form: z.boolean({ error: "must be true or false" }).optional(),
  /**
   * What the browser measured per request in flight (bytes a second), so parts can be sized for the link:
   * on a fast link a part should take long enough that the request's round trips stay small beside it.
   */
  linkBytesPerSecond: z
    .number({ error: "must be a number of bytes a second" })
    .min(0, { error: "must not be negative" })
    .max(100 * 1024 ** 3, { error: "must be at most 100 GiB a second" })
    .optional(),
});

export const singlePlanSchema = z.object({
  kind: z.literal("single"),
  key: z.string(),
  url: z.string(),
  /** Headers the PUT must carry as signed (Content-Type); Content-MD5 is added by the browser. */
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
/** A small file as a browser POST form to the bucket's URL: `fields` in order, then Content-MD5, then the file. */
export const formPlanSchema = z.object({
  kind: z.literal("form"),
  key: z.string(),
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
export const multipartPlanSchema = z.object({
  kind: z.literal("multipart"),
  key: z.string(),
  uploadId: z.string(),
  partSize: z.number(),
  partCount: z.number(),
});
export const uploadPlanSchema = z.discriminatedUnion("kind", [
  singlePlanSchema,
  formPlanSchema,
  multipartPlanSchema,
]);
export type UploadPlan = z.infer<typeof uploadPlanSchema>;
export const planResultSchema = z.object({ uploads: z.array(uploadPlanSchema) });
export type PlanResult = z.infer<typeof planResultSchema>;

export const MAX_CONFLICT_KEYS = 1000;
export const conflictsSchema = z.object({
  keys: z
    .array(objectKeySchema)
    .min(1, { error: "must name at least one key" })
    .max(MAX_CONFLICT_KEYS, { error: `must name at most ${MAX_CONFLICT_KEYS} keys per request` }),
});
export const conflictsResultSchema = z.object({
  existing: z.array(z.string()),
  /** The same keys with size and ETag: a file of the same size and MD5 is identical. */
  objects: z.array(z.object({ key: z.string(), size: z.number(), etag: z.string().nullable() })),
});

export const uploadParamsSchema = z.object({
  bucket: bucketNameSchema,
  uploadId: z
    .string()
    .min(1, { error: "is required" })
    .max(1024, { error: "is too long" })
    .refine(noNul, NO_NUL),
});

const partNumberSchema = z
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be at least 1" })
  .max(MAX_PARTS, { error: `must be at most ${MAX_PARTS}` });

export const MAX_SIGN_PARTS = 100;
export const signPartsSchema = z.object({
  key: objectKeySchema,
  partNumbers: z
    .array(partNumberSchema)
    .min(1, { error: "must name at least one part" })
    .max(MAX_SIGN_PARTS, { error: `must name at most ${MAX_SIGN_PARTS} parts per request` }),
});
export const signPartsResultSchema = z.object({
  urls: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const completeUploadSchema = z.object({
  key: objectKeySchema,
  /** The file's size, for the audit record (the store answers with the object, not its size). */
  size: z.number().int().min(0).max(MAX_OBJECT_BYTES).optional(),
  parts: z
    .array(
      z.object({
        partNumber: partNumberSchema,
        etag: z.string().min(1, { error: "is required" }).max(256, { error: "is too long" }),
      }),
    )
    .min(1, { error: "must list at least one part" })
    .max(MAX_PARTS, { error: `must list at most ${MAX_PARTS} parts` })
    .refine((ps) => new Set(ps.map((p) => p.partNumber)).size === ps.length, {
      error: "must not list a part number twice",
    }),
});
export const completeResultSchema = z.object({ key: z.string(), etag: z.string().nullable() });

export const abortUploadSchema = z.object({ key: objectKeySchema });

export const uploadedPartSchema = z.object({ partNumber: z.number(), etag: z.string(), size: z.number() });
export type UploadedPart = z.infer<typeof uploadedPartSchema>;
export const partsQuerySchema = z.object({
  connection: idSchema.optional(),
  key: objectKeySchema,
});
export const partsResultSchema = z.object({ parts: z.array(uploadedPartSchema) });

export const incompleteUploadSchema = z.object({
  key: z.string(),
  uploadId: z.string(),
  initiated: z.string().nullable(),
  storageClass: z.string().nullable(),
});
export type IncompleteUpload = z.infer<typeof incompleteUploadSchema>;
export const incompleteQuerySchema = z.object({
  connection: idSchema.optional(),
  prefix: prefixSchema,
  cursor: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});
export const incompleteResultSchema = z.object({
  uploads: z.array(incompleteUploadSchema),
  nextCursor: z.string().nullable(),
});

export const abortStaleSchema = z.object({
  olderThanDays: z
    .number({ error: "must be a number of days" })
    .int({ error: "must be a whole number of days" })
    .min(0, { error: "must not be negative" })
    .max(3650, { error: "must be at most 3650" }),
  prefix: prefixSchema,
  cursor: z.string().max(4096).optional(),
});
export const abortStaleResultSchema = z.object({
  aborted: z.number(),
  kept: z.number(),
  errors: z.array(z.object({ key: z.string(), uploadId: z.string(), message: z.string() })),
  nextCursor: z.string().nullable(),
});

/** What a finished drop reports for the audit log: the single PUTs went to the store without us. */
export const uploadReportSchema = z.object({
  /** The folder the drop went into. */
  prefix: prefixSchema,
  uploaded: z.number().int().min(0).max(10_000_000),
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  failed: z.number().int().min(0).max(10_000_000).default(0),
  skipped: z.number().int().min(0).max(10_000_000).default(0),
  cancelled: z.number().int().min(0).max(10_000_000).default(0),
});
export type UploadReport = z.infer<typeof uploadReportSchema>;
