import { route } from "@/lib/server/http/route";
import { completeShareUpload } from "@/lib/server/shares/upload";
import { publicShareParamsSchema, shareCompleteSchema } from "@/lib/validation/shares";
import { completeResultSchema } from "@/lib/validation/uploads";

export const POST = route(
  {
    operation: "upload-request.complete",
    params: publicShareParamsSchema,
    body: shareCompleteSchema,
    response: completeResultSchema,
  },
  ({ share, store, body, audit }) => completeShareUpload(share, store, body, audit),
);
