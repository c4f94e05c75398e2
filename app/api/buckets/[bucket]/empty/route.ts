import { route } from "@/lib/server/http/route";
import { emptyBucketStepFor } from "@/lib/server/buckets";
import {
  bucketParamsSchema,
  connectionQuerySchema,
  emptyStepResultSchema,
  emptyStepSchema,
} from "@/lib/validation/buckets";

// One batch (up to 1,000 versions, then the unfinished uploads) per call: the page repeats it with `next`
// until `done`, showing progress; stopping half-way deletes nothing that was not meant to go.
export const POST = route(
  {
    operation: "bucket.empty",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: emptyStepSchema,
    response: emptyStepResultSchema,
  },
  ({ store, params, body, audit }) => emptyBucketStepFor(store, params.bucket, body, audit),
);
