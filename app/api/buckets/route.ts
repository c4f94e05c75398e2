import { json, route } from "@/lib/server/http/route";
import { expectedOrigin } from "@/lib/server/auth/request-info";
import { createBucketFor, listBucketsOf } from "@/lib/server/buckets";
import {
  bucketListSchema,
  connectionQuerySchema,
  createBucketResultSchema,
  createBucketSchema,
} from "@/lib/validation/buckets";

export const GET = route(
  { operation: "buckets.list", query: connectionQuerySchema, response: bucketListSchema },
  ({ store }) => listBucketsOf(store),
);

export const POST = route(
  { operation: "buckets.create", query: connectionQuerySchema, body: createBucketSchema },
  async ({ req, store, body, audit }) =>
    json(createBucketResultSchema.parse(await createBucketFor(store, body, expectedOrigin(req), audit)), {
      status: 201,
    }),
);
