import { z } from "zod";
import { NO_NUL, noNul } from "./ids";
import { objectKeySchema } from "./links";

/** Presigned GETs for a folder download live this long; a file started later is signed again. */
export const DOWNLOAD_URL_SECONDS = 3600;
/** Files signed per answer: a folder's objects are listed and signed a page at a time. */
export const DOWNLOAD_PAGE = 1000;

/**
 * A folder download asks for signed GETs: the named files (a selection), or a page of every object under a
 * folder (`prefix`, then `cursor` from the answer before).
 */
export const downloadRequestSchema = z
  .object({
    keys: z
      .array(objectKeySchema)
      .max(DOWNLOAD_PAGE, { error: `must list at most ${DOWNLOAD_PAGE} keys per request` })
      .default([]),
    prefix: z
      .string()
      .max(1024, { error: "must be at most 1024 characters" })
      .refine(noNul, NO_NUL)
      .optional(),
    cursor: z.string().max(4096).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.keys.length > 0 === (v.prefix !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["keys"],
        message: "give either keys (files) or prefix (a folder)",
      });
    }
    if (v.cursor !== undefined && v.prefix === undefined) {
      ctx.addIssue({ code: "custom", path: ["cursor"], message: "goes with prefix only" });
    }
  });

export const downloadFileSchema = z.object({
  key: z.string(),
  /** Known for a folder's listing; for named keys the page already knows it. */
  size: z.number().int().nonnegative().nullable(),
  /** In an archive storage class: it downloads only once restored. */
  archived: z.boolean(),
  url: z.string(),
});
export type DownloadFile = z.infer<typeof downloadFileSchema>;

export const downloadResultSchema = z.object({
  files: z.array(downloadFileSchema),
  nextCursor: z.string().nullable(),
  expiresAt: z.string(),
});
export type DownloadResult = z.infer<typeof downloadResultSchema>;
