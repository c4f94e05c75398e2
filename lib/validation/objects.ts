import { z } from "zod";
import { idSchema, NO_NUL, noNul } from "./ids";

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** A folder path inside a bucket: "" (the root) or "a/b/" — always ending in "/". */
export const prefixSchema = z
  .string()
  .max(1024, { error: "must be at most 1024 characters" })
  .refine(noNul, NO_NUL)
  .refine((p) => p === "" || p.endsWith("/"), { error: 'must be empty or end with "/"' })
  .default("");

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
  metadata: z.record(z.string(), z.string()),
  /** Cold/archived objects must be restored before they can be read or shared. */
  restoreRequired: z.boolean(),
});
export type ObjectDetails = z.infer<typeof objectDetailsSchema>;

export const objectUrlQuerySchema = objectKeyQuerySchema.extend({
  disposition: z.enum(["attachment", "inline"]).default("attachment"),
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
