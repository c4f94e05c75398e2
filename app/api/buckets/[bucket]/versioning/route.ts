import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import {
  bucketParamsSchema,
  connectionQuerySchema,
  putVersioningSchema,
  versioningSchema,
} from "@/lib/validation/buckets";

const base = {
  access: "user",
  params: bucketParamsSchema,
  query: connectionQuerySchema,
  response: versioningSchema,
} as const;

export const GET = route(base, ({ user, params, query }) =>
  bucketSettings.getVersioning(user, query.connection, params.bucket),
);

export const PUT = route({ ...base, body: putVersioningSchema }, ({ user, params, query, body }) =>
  bucketSettings.putVersioning(user, query.connection, params.bucket, body.enabled),
);
