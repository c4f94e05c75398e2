import { route } from "@/lib/server/http/route";
import { undeleteFor } from "@/lib/server/versions";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { undeleteResultSchema, undeleteSchema } from "@/lib/validation/versions";

/** Brings deleted objects back (their latest delete marker is removed). */
export const POST = route(
  {
    operation: "versions.undelete",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: undeleteSchema,
    response: undeleteResultSchema,
  },
  ({ store, params, body, audit }) => undeleteFor(store, params.bucket, body.keys, audit),
);
