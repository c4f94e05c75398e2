import { json, route } from "@/lib/server/http/route";
import { bucketOverview, deleteBucketFor } from "@/lib/server/buckets";
import { bucketOverviewSchema, bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";

export const GET = route(
  {
    access: "user",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    response: bucketOverviewSchema,
  },
  ({ user, params, query }) => bucketOverview(user, query.connection, params.bucket),
);

export const DELETE = route(
  { access: "user", params: bucketParamsSchema, query: connectionQuerySchema },
  async ({ user, params, query }) => {
    await deleteBucketFor(user, query.connection, params.bucket);
    return json({ ok: true });
  },
);
