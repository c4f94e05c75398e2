import { route } from "@/lib/server/http/route";
import { completeUpload } from "@/lib/server/uploads";
import { connectionQuerySchema } from "@/lib/validation/buckets";
import { completeResultSchema, completeUploadSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** Joins the uploaded parts into the object (10,000 parts fit in the 1 MiB body limit). */
export const POST = route(
  {
    operation: "uploads.complete",
    params: uploadParamsSchema,
    query: connectionQuerySchema,
    body: completeUploadSchema,
    response: completeResultSchema,
  },
  ({ store, params, body, audit }) => completeUpload(store, params.bucket, params.uploadId, body, audit),
);
