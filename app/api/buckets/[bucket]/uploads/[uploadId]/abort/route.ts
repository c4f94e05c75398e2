import { z } from "zod";
import { route } from "@/lib/server/http/route";
import { abortUpload } from "@/lib/server/uploads";
import { connectionQuerySchema } from "@/lib/validation/buckets";
import { abortUploadSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** Aborts the upload and frees its parts in the store (nothing is left to bill). */
export const POST = route(
  {
    operation: "uploads.abort",
    params: uploadParamsSchema,
    query: connectionQuerySchema,
    body: abortUploadSchema,
    response: z.object({ aborted: z.boolean() }),
  },
  ({ store, params, body }) => abortUpload(store, params.bucket, params.uploadId, body.key),
);
