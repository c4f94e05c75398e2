import { route } from "@/lib/server/http/route";
import { summaryStepFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { summaryResultSchema, summaryStepSchema } from "@/lib/validation/objects";

// One page of a folder's summary per call (a POST: it walks the store on the user's behalf).
export const POST = route(
  {
    operation: "objects.summary",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: summaryStepSchema,
    response: summaryResultSchema,
  },
  ({ store, params, body }) => summaryStepFor(store, params.bucket, body),
);
