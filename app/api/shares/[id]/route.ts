import { route } from "@/lib/server/http/route";
import { changeShare } from "@/lib/server/shares/owner";
import { shareParamsSchema, shareSchema, updateShareSchema } from "@/lib/validation/shares";

/** A new lifetime (from now) or access code (null: none). */
export const PATCH = route(
  { operation: "share.update", params: shareParamsSchema, body: updateShareSchema, response: shareSchema },
  ({ user, params, body, audit }) => changeShare(user, params.id, body, audit),
);
