import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema, lifecycleSchema } from "@/lib/validation/buckets";

const base = {
  access: "user",
  params: bucketParamsSchema,
  query: connectionQuerySchema,
  response: lifecycleSchema,
} as const;

export const GET = route(base, ({ user, params, query }) =>
  bucketSettings.getLifecycle(user, query.connection, params.bucket),
);

export const PUT = route({ ...base, body: lifecycleSchema }, ({ user, params, query, body }) =>
  bucketSettings.putLifecycle(user, query.connection, params.bucket, body.rules),
);
