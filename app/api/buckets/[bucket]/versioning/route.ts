import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import {
  bucketParamsSchema,
  connectionQuerySchema,
  putVersioningSchema,
  versioningSchema,
} from "@/lib/validation/buckets";

const base = {
  params: bucketParamsSchema,
  query: connectionQuerySchema,
  response: versioningSchema,
} as const;

export const GET = route({ ...base, operation: "bucket.settings.read" }, ({ store, params }) =>
  bucketSettings.getVersioning(store, params.bucket),
);

export const PUT = route(
  { ...base, operation: "bucket.versioning.write", body: putVersioningSchema },
  ({ store, params, body, audit }) => {
    audit.details = { enabled: body.enabled };
    return bucketSettings.putVersioning(store, params.bucket, body.enabled);
  },
);
