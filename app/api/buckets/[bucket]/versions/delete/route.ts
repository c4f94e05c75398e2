import { route } from "@/lib/server/http/route";
import { deleteVersionFor } from "@/lib/server/versions";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { okSchema } from "@/lib/api-client";
import { versionActionSchema } from "@/lib/validation/versions";

/** Deletes one version (or delete marker) for good. */
export const POST = route(
  {
    operation: "versions.delete",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: versionActionSchema,
    response: okSchema,
  },
  ({ store, params, body, audit }) => deleteVersionFor(store, params.bucket, body, audit),
);
