import { json, route } from "@/lib/server/http/route";
import { deleteBucketFor } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";

export const DELETE = route(
  { access: "user", params: bucketParamsSchema, query: connectionQuerySchema },
  async ({ user, params, query }) => {
    await deleteBucketFor(user, query.connection, params.bucket);
    return json({ ok: true });
  },
);
