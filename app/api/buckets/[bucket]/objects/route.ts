import { route } from "@/lib/server/http/route";
import { listObjectsFor } from "@/lib/server/objects";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { listObjectsQuerySchema, listObjectsResultSchema } from "@/lib/validation/objects";

export const GET = route(
  {
    operation: "objects.list",
    params: bucketParamsSchema,
    query: listObjectsQuerySchema,
    response: listObjectsResultSchema,
  },
  ({ store, params, query }) => listObjectsFor(store, params.bucket, query),
);
