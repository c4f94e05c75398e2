import { route } from "@/lib/server/http/route";
import { publicShareInfo } from "@/lib/server/shares/download";
import { publicShareParamsSchema, publicShareSchema } from "@/lib/validation/shares";

/** What an upload request takes (limits, what is left) and whether it needs a code. */
export const GET = route(
  { operation: "upload-request.open", params: publicShareParamsSchema, response: publicShareSchema },
  ({ share, audit }) => publicShareInfo(share, audit),
);
