import { json, route } from "@/lib/server/http/route";
import { createLinks } from "@/lib/server/links";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { presignResultSchema, presignSchema } from "@/lib/validation/links";

export const POST = route(
  { access: "user", params: bucketParamsSchema, query: connectionQuerySchema, body: presignSchema },
  async ({ user, params, query, body }) =>
    json(presignResultSchema.parse(await createLinks(user, query.connection, params.bucket, body)), {
      status: 201,
    }),
);
