import { route } from "@/lib/server/http/route";
import { publicShareInfo } from "@/lib/server/shares/download";
import { publicShareParamsSchema, publicShareSchema } from "@/lib/validation/shares";

/** What a share page shows before anything else: its name, whether it needs a code, when it ends. */
export const GET = route(
  { operation: "share.open", params: publicShareParamsSchema, response: publicShareSchema },
  ({ share, audit }) => publicShareInfo(share, audit),
);
