import { route } from "@/lib/server/http/route";
import { completeUpload } from "@/lib/server/uploads";
import { connectionQuerySchema } from "@/lib/validation/buckets";
import { completeResultSchema, completeUploadSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** Joins the uploaded parts into the object (10,000 parts fit in the 1 MiB body limit). */
export const POST = route(
  {
    access: "user",
    params: uploadParamsSchema,
    query: connectionQuerySchema,
    body: completeUploadSchema,
    response: completeResultSchema,
  },
  ({ user, params, query, body }) =>
    completeUpload(user, query.connection, params.bucket, params.uploadId, body),
);
