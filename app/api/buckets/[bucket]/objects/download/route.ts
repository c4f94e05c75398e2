import { json, route } from "@/lib/server/http/route";
import { downloadUrlsFor } from "@/lib/server/downloads";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { downloadRequestSchema, downloadResultSchema } from "@/lib/validation/downloads";

export const POST = route(
  {
    operation: "objects.download",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: downloadRequestSchema,
  },
  async ({ store, params, body, audit }) =>
    json(downloadResultSchema.parse(await downloadUrlsFor(store, params.bucket, body, audit))),
);
