import { route } from "@/lib/server/http/route";
import { listVersionsFor } from "@/lib/server/versions";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { versionsQuerySchema, versionsResultSchema } from "@/lib/validation/versions";

/** Versions and delete markers of a folder level or of one key (or only the deleted objects), a page at a time. */
export const GET = route(
  {
    operation: "versions.list",
    params: bucketParamsSchema,
    query: versionsQuerySchema,
    response: versionsResultSchema,
  },
  ({ store, params, query }) => listVersionsFor(store, params.bucket, query),
);
