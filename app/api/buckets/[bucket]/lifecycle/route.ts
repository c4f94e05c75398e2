import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import { bucketParamsSchema, connectionQuerySchema, lifecycleSchema } from "@/lib/validation/buckets";

const base = { params: bucketParamsSchema, query: connectionQuerySchema, response: lifecycleSchema } as const;

export const GET = route({ ...base, operation: "bucket.settings.read" }, ({ store, params }) =>
  bucketSettings.getLifecycle(store, params.bucket),
);

export const PUT = route(
  { ...base, operation: "bucket.lifecycle.write", body: lifecycleSchema },
  ({ store, params, body, audit }) => {
    audit.count = body.rules.length;
    return bucketSettings.putLifecycle(store, params.bucket, body.rules);
  },
);
