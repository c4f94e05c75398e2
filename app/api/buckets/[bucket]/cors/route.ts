import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema, corsSchema } from "@/lib/validation/buckets";

const base = { params: bucketParamsSchema, query: connectionQuerySchema, response: corsSchema } as const;

export const GET = route({ ...base, operation: "bucket.settings.read" }, ({ store, params }) =>
  bucketSettings.getCors(store, params.bucket),
);

export const PUT = route(
  { ...base, operation: "bucket.cors.write", body: corsSchema },
  ({ store, params, body, audit }) => {
    audit.count = body.rules.length;
    return bucketSettings.putCors(store, params.bucket, body.rules);
  },
);
