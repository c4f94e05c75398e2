import { route } from "@/lib/server/http/route";
import { abortStaleStep } from "@/lib/server/uploads";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { abortStaleResultSchema, abortStaleSchema } from "@/lib/validation/uploads";

/** One step of "abort every unfinished upload older than N days"; repeat with nextCursor until null. */
export const POST = route(
  {
    operation: "uploads.abort-stale",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: abortStaleSchema,
    response: abortStaleResultSchema,
  },
  ({ store, params, body, audit }) => abortStaleStep(store, params.bucket, body, audit),
);
