import { route } from "@/lib/server/http/route";
import { copyObjectsFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { copyObjectsSchema, copyResultSchema } from "@/lib/validation/objects";

// Copy, move or rename: up to 100 objects per call, each confirmed before any source is deleted.
export const POST = route(
  {
    operation: "objects.copy",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: copyObjectsSchema,
    response: copyResultSchema,
  },
  ({ store, params, body, audit }) => copyObjectsFor(store, params.bucket, body, audit),
);
