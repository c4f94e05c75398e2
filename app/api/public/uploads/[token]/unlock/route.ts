import { route } from "@/lib/server/http/route";
import { unlockShare } from "@/lib/server/shares/download";
import { publicShareParamsSchema, unlockSchema } from "@/lib/validation/shares";

export const POST = route(
  { operation: "upload-request.unlock", params: publicShareParamsSchema, body: unlockSchema },
  ({ share, body, address, secure, audit }) => unlockShare(share, body.code, address, secure, audit),
);
