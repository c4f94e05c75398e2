import { route } from "@/lib/server/http/route";
import { revokeShare } from "@/lib/server/shares/owner";
import { shareParamsSchema, shareSchema } from "@/lib/validation/shares";

/** Revokes a share page or closes an upload request: its next request is refused (410). */
export const POST = route(
  { operation: "share.revoke", params: shareParamsSchema, response: shareSchema },
  ({ user, params, audit }) => revokeShare(user, params.id, audit),
);
