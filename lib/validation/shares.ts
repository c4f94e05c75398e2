import { z } from "zod";
import { idSchema } from "./ids";
import { objectKeySchema } from "./links";
import { folderSchema, objectEntrySchema } from "./objects";
import { completeUploadSchema, contentTypeSchema, MAX_OBJECT_BYTES, uploadFileSchema } from "./uploads";

// Share pages (/s/<token>: a file or a folder to download) and upload requests (/u/<token>: a folder that
// people without an account fill). The owner's API and the public one.

export const SHARE_MIN_SECONDS = 3600;
export const SHARE_MAX_SECONDS = 30 * 24 * 3600;
/** A presigned GET handed out by a share page lives this long: revoking the share ends downloads at once. */
export const SHARE_URL_SECONDS = 300;

export const shareKindSchema = z.enum(["download", "upload"]);

/** The access code a recipient types: 4 to 32 letters and digits (like an extraction code). */
export const accessCodeSchema = z
  .string()
  .min(4, { error: "must be at least 4 characters" })
  .max(32, { error: "must be at most 32 characters" })
  .regex(/^[A-Za-z0-9]+$/, { error: "must be letters and digits only" });

const extensionSchema = z
  .string()
  .min(1, { error: "is required" })
  .max(16, { error: "must be at most 16 characters" })
  .regex(/^[a-z0-9]+$/, { error: "must be lowercase letters and digits, without the dot" });

const lifetime = z
  .number({ error: "must be a number of seconds" })
  .int({ error: "must be a whole number of seconds" })
  .min(SHARE_MIN_SECONDS, { error: "must be at least 1 hour" })
  .max(SHARE_MAX_SECONDS, { error: "must be at most 30 days" });

const positiveBytes = z
  .number({ error: "must be a number of bytes" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be at least 1" })
  .max(MAX_OBJECT_BYTES * 1000, { error: "is too large" });

export const createShareSchema = z
  .object({
    kind: shareKindSchema,
    /** A file (download shares). */
    key: objectKeySchema.optional(),
    /** A folder ("" for the whole bucket): what a download share shows, or where an upload request puts files. */
    prefix: folderSchema.optional(),
    title: z.string().trim().max(200, { error: "must be at most 200 characters" }).optional(),
    code: accessCodeSchema.optional(),
    expiresIn: lifetime,
    singleUse: z.boolean().default(false),
    maxBytes: positiveBytes.optional(),
    maxFiles: z.number().int().min(1, { error: "must be at least 1" }).max(1_000_000).optional(),
    maxFileBytes: positiveBytes.optional(),
    extensions: z.array(extensionSchema).max(50, { error: "must list at most 50 extensions" }).optional(),
  })
  .refine((s) => (s.key === undefined) !== (s.prefix === undefined), {
    error: "name either a file (key) or a folder (prefix)",
    path: ["key"],
  })
  .refine((s) => s.kind === "download" || s.key === undefined, {
    error: "an upload request fills a folder: give prefix, not key",
    path: ["key"],
  })
  .refine(
    (s) => s.kind === "upload" || (s.maxBytes ?? s.maxFiles ?? s.maxFileBytes ?? s.extensions) === undefined,
    {
      error: "limits apply to upload requests only",
      path: ["kind"],
    },
  )
  .refine((s) => s.kind === "download" || !s.singleUse, {
    error: "only download shares can be single-use",
    path: ["singleUse"],
  });
export type CreateShare = z.infer<typeof createShareSchema>;

export const shareStatusSchema = z.enum(["active", "expired", "revoked", "used"]);

export const shareSchema = z.object({
  id: z.string(),
  kind: shareKindSchema,
  connectionId: z.string(),
  connectionName: z.string(),
  creator: z.string(),
  bucket: z.string(),
  key: z.string().nullable(),
  prefix: z.string().nullable(),
  title: z.string().nullable(),
  hasCode: z.boolean(),
  singleUse: z.boolean(),
  status: shareStatusSchema,
  expiresAt: z.string(),
  createdAt: z.string(),
  views: z.number(),
  downloads: z.number(),
  limits: z.object({
    maxBytes: z.number().nullable(),
    maxFiles: z.number().nullable(),
    maxFileBytes: z.number().nullable(),
    extensions: z.array(z.string()).nullable(),
  }),
  received: z.object({ files: z.number(), bytes: z.number() }),
});
export type Share = z.infer<typeof shareSchema>;

/** The one answer that holds the page's address (the token is never stored, and never shown again). */
export const createdShareSchema = z.object({ share: shareSchema, path: z.string() });
export const shareListSchema = z.object({ shares: z.array(shareSchema) });

export const shareParamsSchema = z.object({ id: idSchema });
export const updateShareSchema = z
  .object({
    /** A new lifetime counted from now. */
    expiresIn: lifetime.optional(),
    /** A new access code, or null to remove it. */
    code: accessCodeSchema.nullable().optional(),
  })
  .refine((u) => u.expiresIn !== undefined || u.code !== undefined, {
    error: "change expiresIn or code",
    path: ["expiresIn"],
  });

export const shareFileSchema = z.object({
  path: z.string(),
  key: z.string(),
  size: z.number(),
  status: z.enum(["planned", "done"]),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export const shareFilesSchema = z.object({ files: z.array(shareFileSchema) });

// ---- public pages ----

/** A token in a share page's address: 43 characters of base64url (32 random bytes). */
export const shareTokenSchema = z
  .string()
  .min(20, { error: "is not a share address" })
  .max(100, { error: "is not a share address" })
  .regex(/^[A-Za-z0-9_-]+$/, { error: "is not a share address" });
export const publicShareParamsSchema = z.object({ token: shareTokenSchema });

export const publicShareSchema = z.object({
  kind: shareKindSchema,
  title: z.string().nullable(),
  /** The shared file's or folder's own name (never the bucket or the path above it). */
  name: z.string(),
  isFolder: z.boolean(),
  needsCode: z.boolean(),
  unlocked: z.boolean(),
  expiresAt: z.string(),
  limits: z
    .object({
      maxBytes: z.number().nullable(),
      maxFiles: z.number().nullable(),
      maxFileBytes: z.number().nullable(),
      extensions: z.array(z.string()).nullable(),
      filesLeft: z.number().nullable(),
      bytesLeft: z.number().nullable(),
    })
    .nullable(),
});
export type PublicShare = z.infer<typeof publicShareSchema>;

/** "" for none: a single-use share without a code is taken by opening it. */
export const unlockSchema = z.object({ code: z.string().max(64, { error: "is too long" }).default("") });

/**
 * A path inside a share, relative to it: no "." or ".." segment, no empty segment, no leading "/", no
 * backslash or control character. The store takes keys literally, but an HTTP client or server on the way
 * may resolve "a/../b" in a URL, and a share never reaches outside its folder.
 */
const relativePath = (allowFolder: boolean) =>
  z
    .string()
    .max(1024, { error: "must be at most 1024 characters" })
    .refine((p) => !/[\\\p{Cc}]/u.test(p), { error: "must not contain backslashes or control characters" })
    .refine(
      (p) =>
        p === "" ||
        (allowFolder && p.endsWith("/") ? p.slice(0, -1) : p)
          .split("/")
          .every((seg) => seg !== "" && seg !== "." && seg !== ".."),
      { error: 'must be a path inside the share (no ".", ".." or empty parts)' },
    );

/** A folder inside the share, relative to it ("" for its top). */
export const shareListQuerySchema = z.object({
  prefix: relativePath(true)
    .refine((p) => p === "" || p.endsWith("/"), { error: 'must be empty or end with "/"' })
    .default(""),
  cursor: z.string().max(4096).optional(),
});
export const shareListResultSchema = z.object({
  prefix: z.string(),
  folders: z.array(z.object({ prefix: z.string() })),
  objects: z.array(objectEntrySchema),
  nextCursor: z.string().nullable(),
});

export const shareDownloadSchema = z.object({
  /** Relative to the shared folder ("" or omitted for a shared file). */
  key: relativePath(false).default(""),
  inline: z.boolean().default(false),
});
export const shareDownloadResultSchema = z.object({ url: z.string(), expiresAt: z.string() });

/** The uploader's visit: a random id their browser keeps for this request (they see what they sent). */
export const visitSchema = z
  .string()
  .min(16, { error: "is not a visit id" })
  .max(64, { error: "is not a visit id" })
  .regex(/^[A-Za-z0-9_-]+$/, { error: "is not a visit id" });

/** The folder the uploader names their files after (else the date): one path segment. */
export const uploadLabelSchema = z
  .string()
  .trim()
  .max(100, { error: "must be at most 100 characters" })
  .refine((s) => !/[/\\]/.test(s) && s !== "." && s !== "..", {
    error: "must be a name, without / or \\",
  })
  .refine((s) => !/\p{Cc}/u.test(s), { error: "must not contain control characters" });

export const sharePlanSchema = z.object({
  visit: visitSchema,
  label: uploadLabelSchema.optional(),
  files: z
    .array(uploadFileSchema.extend({ contentType: contentTypeSchema.optional() }))
    .min(1, { error: "must name at least one file" })
    .max(100, { error: "must name at most 100 files per request" }),
});
export const shareSignPartsSchema = z.object({
  visit: visitSchema,
  key: objectKeySchema,
  uploadId: z.string().min(1).max(1024),
  partNumbers: z.array(z.number().int().min(1).max(10_000)).min(1).max(100),
});
export const shareListPartsSchema = z.object({
  visit: visitSchema,
  key: objectKeySchema,
  uploadId: z.string().min(1).max(1024),
});
export const shareCompleteSchema = completeUploadSchema.extend({
  visit: visitSchema,
  uploadId: z.string().min(1).max(1024),
});
export const shareDoneSchema = z.object({ visit: visitSchema, key: objectKeySchema });
export const shareAbortSchema = shareListPartsSchema;
export const shareVisitSchema = z.object({ visit: visitSchema });
export const shareVisitFilesSchema = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      /** Where it landed, relative to the request's folder (a name taken before gets " (1)"). */
      storedAs: z.string(),
      size: z.number(),
      status: z.enum(["planned", "done"]),
    }),
  ),
});
