import { route } from "@/lib/server/http/route";
import { deleteObjectsFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { deleteObjectsSchema, deleteResultSchema } from "@/lib/validation/objects";

// One batch per call; the page repeats with `next` until `done`, showing progress and the store's errors.
export const POST = route(
  {
    operation: "objects.delete",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: deleteObjectsSchema,
    response: deleteResultSchema,
  },
  ({ store, params, body, audit }) => deleteObjectsFor(store, params.bucket, body, audit),
);
