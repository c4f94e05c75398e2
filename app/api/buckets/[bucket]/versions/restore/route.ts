import { route } from "@/lib/server/http/route";
import { restoreVersionFor } from "@/lib/server/versions";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { okSchema } from "@/lib/api-client";
import { versionActionSchema } from "@/lib/validation/versions";

/** Copies an older version over the current object. */
export const POST = route(
  {
    operation: "versions.restore",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: versionActionSchema,
    response: okSchema,
  },
  ({ store, params, body, audit }) => restoreVersionFor(store, params.bucket, body, audit),
);
