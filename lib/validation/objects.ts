import { z } from "zod";
import { idSchema, NO_NUL, noNul } from "./ids";
import { objectKeySchema } from "./links";

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** A folder path inside a bucket: "" (the root) or "a/b/" — always ending in "/". */
/** A folder: "" (the bucket's top) or a key prefix ending in "/". */
export const folderSchema = z
  .string()
  .max(1024, { error: "must be at most 1024 characters" })
  .refine(noNul, NO_NUL)
  .refine((p) => p === "" || p.endsWith("/"), { error: 'must be empty or end with "/"' });
/** A folder, "" when not given. */
export const prefixSchema = folderSchema.default("");

export const listObjectsQuerySchema = z.object({
  connection: idSchema.optional(),
  prefix: prefixSchema,
  /** Opaque: the nextCursor of the previous page. */
  cursor: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
  /** Names that start with this, within the folder (a server-side prefix query). */
  filter: z.string().max(1024).refine(noNul, NO_NUL).default(""),
});

export const objectEntrySchema = z.object({
  key: z.string(),
  size: z.number(),
  lastModified: z.string().nullable(),
  etag: z.string().nullable(),
  storageClass: z.string().nullable(),
});
export type ObjectEntry = z.infer<typeof objectEntrySchema>;

export const listObjectsResultSchema = z.object({
  prefix: z.string(),
  folders: z.array(z.object({ prefix: z.string() })),
  objects: z.array(objectEntrySchema),
  nextCursor: z.string().nullable(),
});
export type ListObjectsResult = z.infer<typeof listObjectsResultSchema>;

export const folderNameSchema = z
  .string({ error: "is required" })
  .min(1, { error: "is required" })
  .refine((n) => !n.includes("/"), { error: 'must not contain "/" (create one level at a time)' })
  .refine((n) => n !== "." && n !== "..", { error: 'must not be "." or ".."' })
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), { error: "must not contain control characters" });

export const createFolderSchema = z
  .object({ prefix: prefixSchema, name: folderNameSchema })
  .refine((v) => utf8Length(`${v.prefix}${v.name}/`) <= 1024, {
    path: ["name"],
    error: "makes the key longer than 1024 bytes",
  });

/** The path a ModelArts training job reads: obs://bucket/dir/ (with the trailing slash). */
export function obsPath(bucket: string, prefix: string): string {
  return `obs://${bucket}/${prefix}`;
}

/** Where a delete run stands: which folder of the request, and the last key left behind by an error. */
export const deleteCursorSchema = z.object({
  prefixIndex: z.number().int().min(0),
  after: z.string().max(1024).optional(),
});

export const deleteObjectsSchema = z
  .object({
    /** Up to 1,000 keys per request (one DeleteObjects call). */
    keys: z
      .array(z.string().min(1).max(1024))
      .max(1000, { error: "at most 1000 keys per request" })
      .default([]),
    /** Folders deleted recursively, a batch of up to 1,000 objects per request. */
    prefixes: z
      .array(prefixSchema.refine((p) => p !== "", { error: "the whole bucket cannot be deleted this way" }))
      .max(100)
      .default([]),
    cursor: deleteCursorSchema.optional(),
  })
  .refine((v) => v.keys.length > 0 || v.prefixes.length > 0, {
    path: ["keys"],
    error: "give keys or prefixes to delete",
  });

export const deleteResultSchema = z.object({
  deleted: z.number().int(),
  errors: z.array(z.object({ key: z.string(), code: z.string(), message: z.string() })),
  next: deleteCursorSchema.nullable(),
  done: z.boolean(),
});
export type DeleteResult = z.infer<typeof deleteResultSchema>;

export const summaryStepSchema = z.object({ prefix: prefixSchema, cursor: z.string().max(4096).optional() });
export const summaryResultSchema = z.object({
  objects: z.number().int(),
  bytes: z.number(),
  /**
   * Objects per file extension (".jpg", "" for none). Lists of { name, count } rather than objects keyed by
   * name: a folder may be called "__proto__" or "constructor".
   */
  extensions: z.array(z.object({ name: z.string(), count: z.number().int() })),
  /** Objects per first-level sub-folder: the labels of an image-classification dataset. */
  subfolders: z.array(z.object({ name: z.string(), count: z.number().int() })),
  nextCursor: z.string().nullable(),
});
export type SummaryResult = z.infer<typeof summaryResultSchema>;

export const objectKeyQuerySchema = z.object({
  connection: idSchema.optional(),
  key: z
    .string({ error: "is required" })
    .min(1, { error: "is required" })
    .refine(noNul, NO_NUL)
    .refine((k) => utf8Length(k) <= 1024, { error: "must be at most 1024 bytes of UTF-8" }),
});

export const objectDetailsSchema = z.object({
  key: z.string(),
  size: z.number(),
  lastModified: z.string().nullable(),
  etag: z.string().nullable(),
  storageClass: z.string(),
  contentType: z.string().nullable(),
  contentDisposition: z.string().nullable(),
  cacheControl: z.string().nullable(),
  contentEncoding: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  /** Cold/archived objects must be restored before they can be read or shared. */
  restoreRequired: z.boolean(),
  /**
   * An archived object's restore: "archived" (not restored), "in-progress", "restored" (readable until
   * `expiresAt`); "none" for objects that need no restore.
   */
  restore: z.object({
    status: z.enum(["none", "archived", "in-progress", "restored"]),
    expiresAt: z.string().nullable(),
  }),
});
export type ObjectDetails = z.infer<typeof objectDetailsSchema>;

export const objectUrlQuerySchema = objectKeyQuerySchema.extend({
  disposition: z.enum(["attachment", "inline"]).default("attachment"),
  /** A version of the object other than the current one. */
  versionId: z.string().min(1).max(1024).refine(noNul, NO_NUL).optional(),
});
export const objectUrlSchema = z.object({ url: z.string(), expiresAt: z.string() });

export const changeStorageClassSchema = z.object({
  key: z.string().min(1).max(1024).refine(noNul, NO_NUL),
  storageClass: z.enum(["STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE"]),
});

export const copyCursorSchema = z.object({
  /** Next index into `keys`, then into `prefixes`. */
  keyIndex: z.number().int().min(0).default(0),
  prefixIndex: z.number().int().min(0).default(0),
  /** Within the current folder: the last key handled. */
  after: z.string().max(1024).optional(),
});

export const copyObjectsSchema = z
  .object({
    /** The folder the selection lives in; targets keep their path relative to it. */
    from: prefixSchema,
    /** The destination folder. */
    to: prefixSchema,
    keys: z.array(z.string().min(1).max(1024).refine(noNul, NO_NUL)).max(1000).default([]),
    prefixes: z
      .array(prefixSchema.refine((p) => p !== "", { error: "the bucket root cannot be copied" }))
      .max(100)
      .default([]),
    /** A new name for the single selected item (a rename is a move within the same folder). */
    rename: folderNameSchema.optional(),
    move: z.boolean().default(false),
    cursor: copyCursorSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.keys.length + v.prefixes.length === 0)
      ctx.addIssue({ code: "custom", path: ["keys"], message: "give keys or prefixes" });
    if (v.rename !== undefined && v.keys.length + v.prefixes.length !== 1) {
      ctx.addIssue({ code: "custom", path: ["rename"], message: "renames exactly one item" });
    }
    for (const key of [...v.keys, ...v.prefixes]) {
      if (!key.startsWith(v.from))
        ctx.addIssue({ code: "custom", path: ["from"], message: `does not contain ${key}` });
    }
    for (const p of v.prefixes) {
      if (v.to.startsWith(p))
        ctx.addIssue({
          code: "custom",
          path: ["to"],
          message: `is inside ${p}: a folder cannot go into itself`,
        });
    }
  });
export type CopyObjectsInput = z.output<typeof copyObjectsSchema>;

export const copyResultSchema = z.object({
  copied: z.number().int(),
  /** Sources deleted after their copies were confirmed (moves only). */
  removed: z.number().int(),
  errors: z.array(z.object({ key: z.string(), code: z.string(), message: z.string() })),
  next: copyCursorSchema.nullable(),
  done: z.boolean(),
});
export type CopyResult = z.infer<typeof copyResultSchema>;

/** User metadata names: S3 sends them as x-amz-meta-<name> headers, so letters, digits, - and _ only. */
const META_NAME = /^[a-z0-9][a-z0-9_-]{0,127}$/;
/** Header values travel as ASCII: printable characters only. */
const headerValue = (max: number) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[\x20-\x7e]*$/, { error: "must be printable ASCII (headers cannot carry other characters)" });

export const editMetadataSchema = z
  .object({
    key: objectKeySchema,
    contentType: headerValue(255)
      .regex(/^([\w.+-]+\/[\w.+-]+(\s*;.*)?)?$/, { error: "must be a media type such as image/jpeg" })
      .optional(),
    contentDisposition: headerValue(1024).optional(),
    cacheControl: headerValue(1024).optional(),
    contentEncoding: headerValue(255).optional(),
    metadata: z
      .record(z.string(), headerValue(1024))
      .superRefine((m, ctx) => {
        for (const name of Object.keys(m)) {
          if (!META_NAME.test(name))
            ctx.addIssue({
              code: "custom",
              path: [name],
              message: "must be lowercase letters, digits, - and _ (at most 128)",
            });
        }
      })
      .default({}),
  })
  .refine((m) => JSON.stringify(m.metadata).length <= 2048, {
    error: "metadata: must be at most 2 KB in all (the S3 limit)",
    path: ["metadata"],
  });
export type EditMetadata = z.infer<typeof editMetadataSchema>;
export const editMetadataResultSchema = z.object({ key: z.string(), aclKept: z.boolean() });

export const RESTORE_TIERS = ["Expedited", "Standard", "Bulk"] as const;
export const restoreObjectsSchema = z
  .object({
    /** Files to restore… */
    keys: z.array(objectKeySchema).max(100, { error: "must name at most 100 keys per request" }).default([]),
    /** …or every archived object under a folder, a page at a time. */
    prefix: folderSchema.optional(),
    cursor: z.string().max(4096).optional(),
    days: z
      .number({ error: "must be a number of days" })
      .int({ error: "must be a whole number of days" })
      .min(1, { error: "must be at least 1 day" })
      .max(30, { error: "must be at most 30 days" }),
    tier: z.enum(RESTORE_TIERS, { error: "must be Expedited, Standard or Bulk" }),
  })
  .refine((r) => r.keys.length > 0 || r.prefix !== undefined, {
    error: "name keys or a prefix",
    path: ["keys"],
  });
export const restoreResultSchema = z.object({
  /** Restores asked for now. */
  requested: z.number(),
  /** Already being restored (the store said so). */
  inProgress: z.number(),
  /** Not in an archive class: nothing to restore. */
  notArchived: z.number(),
  errors: z.array(z.object({ key: z.string(), code: z.string(), message: z.string() })),
  nextCursor: z.string().nullable(),
});
