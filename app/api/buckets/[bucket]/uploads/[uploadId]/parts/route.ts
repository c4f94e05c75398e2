import { route } from "@/lib/server/http/route";
import { signParts } from "@/lib/server/uploads";
import { connectionQuerySchema } from "@/lib/validation/buckets";
import { signPartsResultSchema, signPartsSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** Presigned PUT URLs for a batch of parts of one multipart upload. */
export const POST = route(
  {
    operation: "uploads.parts.sign",
    params: uploadParamsSchema,
    query: connectionQuerySchema,
    body: signPartsSchema,
    response: signPartsResultSchema,
  },
  ({ store, params, body }) => signParts(store, params.bucket, params.uploadId, body),
);
