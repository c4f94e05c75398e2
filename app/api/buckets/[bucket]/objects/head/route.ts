import { route } from "@/lib/server/http/route";
import { objectDetailsFor } from "@/lib/server/objects";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { objectDetailsSchema, objectKeyQuerySchema } from "@/lib/validation/objects";

export const GET = route(
  {
    operation: "objects.head",
    params: bucketParamsSchema,
    query: objectKeyQuerySchema,
    response: objectDetailsSchema,
  },
  ({ store, params, query }) => objectDetailsFor(store, params.bucket, query.key),
);
