import { z } from "zod";
import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import {
  aclInfoSchema,
  aclSchema,
  bucketParamsSchema,
  connectionQuerySchema,
} from "@/lib/validation/buckets";

const base = { params: bucketParamsSchema, query: connectionQuerySchema, response: aclInfoSchema } as const;

export const GET = route({ ...base, operation: "bucket.settings.read" }, ({ store, params }) =>
  bucketSettings.getAcl(store, params.bucket),
);

export const PUT = route(
  { ...base, operation: "bucket.acl.write", body: z.object({ acl: aclSchema }) },
  ({ store, params, body, audit }) => {
    audit.details = { acl: body.acl };
    return bucketSettings.putAcl(store, params.bucket, body.acl);
  },
);
