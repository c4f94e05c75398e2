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
  { access: "user", query: connectionQuerySchema, response: bucketListSchema },
  ({ user, query }) => listBucketsOf(user, query.connection),
);

export const POST = route(
  { access: "user", query: connectionQuerySchema, body: createBucketSchema },
  async ({ req, user, query, body }) =>
    json(
      createBucketResultSchema.parse(
        await createBucketFor(user, query.connection, body, expectedOrigin(req)),
      ),
      {
        status: 201,
      },
    ),
);
