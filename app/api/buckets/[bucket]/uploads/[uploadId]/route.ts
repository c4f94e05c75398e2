import { route } from "@/lib/server/http/route";
import { partsOf } from "@/lib/server/uploads";
import { partsQuerySchema, partsResultSchema, uploadParamsSchema } from "@/lib/validation/uploads";

/** The parts the store already holds (ListParts): a resumed upload sends only the others. */
export const GET = route(
  { access: "user", params: uploadParamsSchema, query: partsQuerySchema, response: partsResultSchema },
  ({ user, params, query }) => partsOf(user, query.connection, params.bucket, params.uploadId, query.key),
);
