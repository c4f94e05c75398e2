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
    operation: "uploads.incomplete",
    params: bucketParamsSchema,
    query: incompleteQuerySchema,
    response: incompleteResultSchema,
  },
  ({ store, params, query }) => incompleteUploads(store, params.bucket, query),
);

/**
 * Plans a batch of files: a POST form (or presigned PUT) for each small one, a multipart upload id for each
 * large one.
 */
export const POST = route(
  {
    operation: "uploads.plan",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: planUploadsSchema,
  },
  async ({ req, store, params, body, audit }) =>
    json(
      planResultSchema.parse(
        await planUploads(store, params.bucket, body.files, expectedOrigin(req), audit, {
          ...(body.form !== undefined ? { form: body.form } : {}),
          ...(body.linkBytesPerSecond !== undefined ? { linkBytesPerSecond: body.linkBytesPerSecond } : {}),
        }),
      ),
      { status: 201 },
    ),
);
