import { json, route } from "@/lib/server/http/route";
import { bucketOverview, deleteBucketFor } from "@/lib/server/buckets";
import { bucketOverviewSchema, bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";

export const GET = route(
  {
    operation: "bucket.read",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    response: bucketOverviewSchema,
  },
  ({ store, params }) => bucketOverview(store, params.bucket),
);

export const DELETE = route(
  { operation: "bucket.delete", params: bucketParamsSchema, query: connectionQuerySchema },
  async ({ store, params }) => {
    await deleteBucketFor(store, params.bucket);
    return json({ ok: true });
  },
);
