import { route } from "@/lib/server/http/route";
import { partsOf } from "@/lib/server/uploads";
import { partsQuerySchema, partsResultSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** The parts the store already holds (ListParts): a resumed upload sends only the others. */
export const GET = route(
  {
    operation: "uploads.parts.list",
    params: uploadParamsSchema,
    query: partsQuerySchema,
    response: partsResultSchema,
  },
  ({ store, params, query }) => partsOf(store, params.bucket, params.uploadId, query.key),
);
