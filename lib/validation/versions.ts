import { z } from "zod";
import { idSchema } from "./ids";
import { objectKeySchema } from "./links";
import { prefixSchema } from "./objects";

// Object versions in a versioned bucket: each key's versions and delete markers, restoring one, deleting
// one for good, and bringing back deleted objects (removing their latest delete marker).

export const versionsQuerySchema = z.object({
  connection: idSchema.optional(),
  /** One folder level… */
  prefix: prefixSchema,
  /** …or the versions of one key. */
  key: objectKeySchema.optional(),
  /** Only objects whose latest version is a delete marker ("deleted items"). */
  deleted: z.enum(["1"]).optional(),
  cursor: z.string().max(4096).optional(),
});

export const versionEntrySchema = z.object({
  key: z.string(),
  versionId: z.string(),
  isLatest: z.boolean(),
  deleteMarker: z.boolean(),
  size: z.number(),
  lastModified: z.string().nullable(),
  etag: z.string().nullable(),
  storageClass: z.string().nullable(),
});
export type VersionEntry = z.infer<typeof versionEntrySchema>;

export const versionsResultSchema = z.object({
  prefix: z.string(),
  folders: z.array(z.object({ prefix: z.string() })),
  versions: z.array(versionEntrySchema),
  nextCursor: z.string().nullable(),
});
export type VersionsResult = z.infer<typeof versionsResultSchema>;

const versionIdSchema = z
  .string()
  .min(1, { error: "is required" })
  .max(1024, { error: "is too long" })
  .refine((v) => !v.includes("\u0000"), { error: "must not contain NUL characters" });

export const versionActionSchema = z.object({ key: objectKeySchema, versionId: versionIdSchema });
export const undeleteSchema = z.object({
  keys: z
    .array(objectKeySchema)
    .min(1, { error: "must name at least one key" })
    .max(1000, { error: "must name at most 1000 keys per request" }),
});
export const undeleteResultSchema = z.object({
  restored: z.number(),
  errors: z.array(z.object({ key: z.string(), code: z.string(), message: z.string() })),
});
