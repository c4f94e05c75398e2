import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema, corsSchema } from "@/lib/validation/buckets";

const base = {
  access: "user",
  params: bucketParamsSchema,
  query: connectionQuerySchema,
  response: corsSchema,
} as const;

export const GET = route(base, ({ user, params, query }) =>
  bucketSettings.getCors(user, query.connection, params.bucket),
);

export const PUT = route({ ...base, body: corsSchema }, ({ user, params, query, body }) =>
  bucketSettings.putCors(user, query.connection, params.bucket, body.rules),
);
