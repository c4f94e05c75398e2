import { expectedOrigin } from "@/lib/server/auth/request-info";
import { json, route } from "@/lib/server/http/route";
import { createShare } from "@/lib/server/shares/owner";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { createdShareSchema, createShareSchema } from "@/lib/validation/shares";

/** A share page of a file or folder, or an upload request for a folder. The answer holds its address, once. */
export const POST = route(
  {
    operation: "shares.create",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: createShareSchema,
  },
  async ({ req, store, params, body, audit }) =>
    json(
      createdShareSchema.parse(await createShare(store, params.bucket, body, expectedOrigin(req), audit)),
      {
        status: 201,
      },
    ),
);
