import { route } from "@/lib/server/http/route";
import { listShareParts } from "@/lib/server/shares/upload";
import { publicShareParamsSchema, shareListPartsSchema } from "@/lib/validation/shares";
import { partsResultSchema } from "@/lib/validation/uploads";

/** The parts the store holds of one of this visit's uploads (to resume after a reload). */
export const POST = route(
  {
    operation: "upload-request.parts",
    params: publicShareParamsSchema,
    body: shareListPartsSchema,
    response: partsResultSchema,
  },
  ({ share, store, body }) => listShareParts(share, store, body),
);
