import { route } from "@/lib/server/http/route";
import { visitFiles } from "@/lib/server/shares/upload";
import { publicShareParamsSchema, shareVisitFilesSchema, shareVisitSchema } from "@/lib/validation/shares";

/** What this visit sent (a POST: the visit id stays out of addresses and logs). */
export const POST = route(
  {
    operation: "upload-request.files",
    params: publicShareParamsSchema,
    body: shareVisitSchema,
    response: shareVisitFilesSchema,
  },
  ({ share, store, body }) => visitFiles(share, store, body.visit),
);
