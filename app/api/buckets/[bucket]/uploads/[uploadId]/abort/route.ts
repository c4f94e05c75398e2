import { route } from "@/lib/server/http/route";
import { abortUpload } from "@/lib/server/uploads";
import { connectionQuerySchema } from "@/lib/validation/buckets";
import { abortUploadSchema, uploadParamsSchema } from "@/lib/validation/uploads";
import { z } from "zod";

/** Aborts the upload and frees its parts in the store (nothing is left to bill). */
export const POST = route(
  {
    access: "user",
    params: uploadParamsSchema,
    query: connectionQuerySchema,
    body: abortUploadSchema,
    response: z.object({ aborted: z.boolean() }),
  },
  ({ user, params, query, body }) =>
    abortUpload(user, query.connection, params.bucket, params.uploadId, body.key),
);
