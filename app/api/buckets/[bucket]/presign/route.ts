import { json, route } from "@/lib/server/http/route";
import { createLinks } from "@/lib/server/links";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { presignResultSchema, presignSchema } from "@/lib/validation/links";

export const POST = route(
  {
    operation: "links.create",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: presignSchema,
  },
  async ({ store, params, body, audit }) =>
    json(presignResultSchema.parse(await createLinks(store, params.bucket, body, audit)), { status: 201 }),
);
