import { route } from "@/lib/server/http/route";
import { abortStaleStep } from "@/lib/server/uploads";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { abortStaleResultSchema, abortStaleSchema } from "@/lib/validation/uploads";

/** One step of "abort every unfinished upload older than N days"; repeat with nextCursor until null. */
export const POST = route(
  {
    access: "user",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: abortStaleSchema,
    response: abortStaleResultSchema,
  },
  ({ user, params, query, body }) => abortStaleStep(user, query.connection, params.bucket, body),
);
