import { expectedOrigin } from "@/lib/server/auth/request-info";
import { json, route } from "@/lib/server/http/route";
import { incompleteUploads, planUploads } from "@/lib/server/uploads";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import {
  incompleteQuerySchema,
  incompleteResultSchema,
  planResultSchema,
  planUploadsSchema,
} from "@/lib/validation/uploads";

/** Multipart uploads started in this bucket and not finished: to resume or to clean up. */
export const GET = route(
  {
    access: "user",
    params: bucketParamsSchema,
    query: incompleteQuerySchema,
    response: incompleteResultSchema,
  },
  ({ user, params, query }) => incompleteUploads(user, params.bucket, query),
);

/** Plans a batch of files: a presigned PUT for each small one, a multipart upload id for each large one. */
export const POST = route(
  { access: "user", params: bucketParamsSchema, query: connectionQuerySchema, body: planUploadsSchema },
  async ({ req, user, params, query, body }) =>
    json(
      planResultSchema.parse(
        await planUploads(user, query.connection, params.bucket, body.files, expectedOrigin(req)),
      ),
      { status: 201 },
    ),
);
