import { z } from "zod";
import { idSchema, NO_NUL, noNul } from "./ids";

/** SigV4 presigned URLs live at most 7 days; OBS's own 30-day links need its older V2 signature. */
export const MAX_LINK_SECONDS = 7 * 24 * 3600;
export const LINK_PRESETS = [
  { key: "15m", seconds: 15 * 60 },
  { key: "1h", seconds: 3600 },
  { key: "1d", seconds: 24 * 3600 },
  { key: "7d", seconds: MAX_LINK_SECONDS },
] as const;

export const objectKeySchema = z
  .string()
  .min(1, { error: "is required" })
  .refine(noNul, NO_NUL)
  .refine((k) => new TextEncoder().encode(k).length <= 1024, {
    error: "must be at most 1024 bytes of UTF-8",
  });

export const presignSchema = z
  .object({
    key: objectKeySchema.optional(),
    /** Every object under this folder ("" for the whole bucket); GET links only. */
    prefix: z
      .string()
      .max(1024, { error: "must be at most 1024 characters" })
      .refine(noNul, NO_NUL)
      .optional(),
    method: z.enum(["GET", "PUT"]),
    expiresIn: z
      .number({ error: "must be a number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(1, { error: "must be at least 1 second" })
      .max(MAX_LINK_SECONDS, {
        error: `must be at most ${MAX_LINK_SECONDS} seconds (7 days): S3 signatures (SigV4) cannot last longer`,
      }),
    /** GET: download as a file (default) or show in the browser (images, text). */
    disposition: z.enum(["attachment", "inline"]).default("attachment"),
    /** PUT: the content type the uploader must send (signed into the link). */
    contentType: z
      .string()
      .max(255)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, { error: "must be a media type such as image/jpeg" })
      .optional(),
    /** PUT: a size limit to tell the receiver (a presigned PUT cannot enforce it). */
    maxSizeBytes: z.number().int().positive().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.key === undefined) === (v.prefix === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["key"],
        message: "give either key (one object) or prefix (a folder)",
      });
    }
    if (v.method === "PUT" && v.prefix !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["prefix"],
        message: "upload (PUT) links are for one key, not a folder",
      });
    }
  });
export type PresignInput = z.output<typeof presignSchema>;

export const signedLinkSchema = z.object({ key: z.string(), url: z.string(), expiresAt: z.string() });

export const linkRecordSchema = z.object({
  id: z.string(),
  connectionId: z.string().nullable(),
  bucket: z.string(),
  key: z.string().nullable(),
  prefix: z.string().nullable(),
  method: z.enum(["GET", "PUT"]),
  disposition: z.enum(["attachment", "inline"]),
  contentType: z.string().nullable(),
  maxSizeBytes: z.number().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The temporary credential's expiry came first and shortened the link. */
  cappedByToken: z.boolean(),
});
export type LinkRecord = z.infer<typeof linkRecordSchema>;

export const presignResultSchema = z.object({
  link: linkRecordSchema,
  links: z.array(signedLinkSchema),
  /** For a folder with more objects than fit in one answer: the rest come from the export. */
  truncated: z.boolean(),
});

export const linkListSchema = z.object({ links: z.array(linkRecordSchema) });
export const linkParamsSchema = z.object({ id: idSchema });
export const exportQuerySchema = z.object({ format: z.enum(["csv", "txt", "sh"]).default("csv") });
