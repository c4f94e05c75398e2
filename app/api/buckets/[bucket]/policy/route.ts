import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema, policySchema } from "@/lib/validation/buckets";

export const GET = route(
  { access: "user", params: bucketParamsSchema, query: connectionQuerySchema, response: policySchema },
  ({ user, params, query }) => bucketSettings.getPolicy(user, query.connection, params.bucket),
);
