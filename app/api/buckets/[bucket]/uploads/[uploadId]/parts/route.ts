import { route } from "@/lib/server/http/route";
import { signParts } from "@/lib/server/uploads";
import { connectionQuerySchema } from "@/lib/validation/buckets";
import { signPartsResultSchema, signPartsSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** Presigned PUT URLs for a batch of parts of one multipart upload. */
export const POST = route(
  {
    access: "user",
    params: uploadParamsSchema,
    query: connectionQuerySchema,
    body: signPartsSchema,
    response: signPartsResultSchema,
  },
  ({ user, params, query, body }) => signParts(user, query.connection, params.bucket, params.uploadId, body),
);
