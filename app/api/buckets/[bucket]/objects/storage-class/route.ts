import { route } from "@/lib/server/http/route";
import { changeStorageClassFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { changeStorageClassSchema, objectDetailsSchema } from "@/lib/validation/objects";

export const POST = route(
  {
    operation: "objects.storage-class",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: changeStorageClassSchema,
    response: objectDetailsSchema,
  },
  ({ store, params, body, audit }) => changeStorageClassFor(store, params.bucket, body, audit),
);
