import { route } from "@/lib/server/http/route";
import { objectUrlFor } from "@/lib/server/objects";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { objectUrlQuerySchema, objectUrlSchema } from "@/lib/validation/objects";

export const GET = route(
  {
    operation: "objects.url",
    params: bucketParamsSchema,
    query: objectUrlQuerySchema,
    response: objectUrlSchema,
  },
  ({ store, params, query }) =>
    objectUrlFor(store, params.bucket, query.key, query.disposition, query.versionId),
);
