import { route } from "@/lib/server/http/route";
import { listObjectsFor } from "@/lib/server/objects";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { listObjectsQuerySchema, listObjectsResultSchema } from "@/lib/validation/objects";

export const GET = route(
  {
    access: "user",
    params: bucketParamsSchema,
    query: listObjectsQuerySchema,
    response: listObjectsResultSchema,
  },
  ({ user, params, query }) => listObjectsFor(user, params.bucket, query),
);
