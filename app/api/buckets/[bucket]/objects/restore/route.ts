import { route } from "@/lib/server/http/route";
import { restoreObjectsFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { restoreObjectsSchema, restoreResultSchema } from "@/lib/validation/objects";

/** Restores archived objects for some days: named keys, or a folder a page at a time (nextCursor). */
export const POST = route(
  {
    operation: "objects.restore",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: restoreObjectsSchema,
    response: restoreResultSchema,
  },
  ({ store, params, body, audit }) => restoreObjectsFor(store, params.bucket, body, audit),
);
