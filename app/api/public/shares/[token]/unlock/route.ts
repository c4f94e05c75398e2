import { route } from "@/lib/server/http/route";
import { unlockShare } from "@/lib/server/shares/download";
import { publicShareParamsSchema, unlockSchema } from "@/lib/validation/shares";

/** The access code (or taking a single-use share): this browser then holds the share's cookie. */
export const POST = route(
  { operation: "share.unlock", params: publicShareParamsSchema, body: unlockSchema },
  ({ share, body, address, secure, audit }) => unlockShare(share, body.code, address, secure, audit),
);
