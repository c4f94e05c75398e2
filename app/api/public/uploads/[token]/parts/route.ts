import { route } from "@/lib/server/http/route";
import { signShareParts } from "@/lib/server/shares/upload";
import { publicShareParamsSchema, shareSignPartsSchema } from "@/lib/validation/shares";
import { signPartsResultSchema } from "@/lib/validation/uploads";

/** Signed URLs for parts of one of this visit's large files, each for the part's exact size. */
export const POST = route(
  {
    operation: "upload-request.parts",
    params: publicShareParamsSchema,
    body: shareSignPartsSchema,
    response: signPartsResultSchema,
  },
  ({ share, store, body }) => signShareParts(share, store, body),
);
