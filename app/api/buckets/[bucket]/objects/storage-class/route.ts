import { route } from "@/lib/server/http/route";
import { changeStorageClassFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { changeStorageClassSchema, objectDetailsSchema } from "@/lib/validation/objects";

export const POST = route(
  {
    access: "user",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: changeStorageClassSchema,
    response: objectDetailsSchema,
  },
  ({ user, params, query, body }) => changeStorageClassFor(user, query.connection, params.bucket, body),
);
