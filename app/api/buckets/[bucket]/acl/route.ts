import { z } from "zod";
import { route } from "@/lib/server/http/route";
import { bucketSettings } from "@/lib/server/buckets";
import {
  aclInfoSchema,
  aclSchema,
  bucketParamsSchema,
  connectionQuerySchema,
} from "@/lib/validation/buckets";

const base = {
  access: "user",
  params: bucketParamsSchema,
  query: connectionQuerySchema,
  response: aclInfoSchema,
} as const;

export const GET = route(base, ({ user, params, query }) =>
  bucketSettings.getAcl(user, query.connection, params.bucket),
);

export const PUT = route({ ...base, body: z.object({ acl: aclSchema }) }, ({ user, params, query, body }) =>
  bucketSettings.putAcl(user, query.connection, params.bucket, body.acl),
);
