import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema, policySchema } from "@/lib/validation/buckets";

export const GET = route(
  {
    operation: "bucket.settings.read",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    response: policySchema,
  },
  ({ store, params }) => bucketSettings.getPolicy(store, params.bucket),
);
