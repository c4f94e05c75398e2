import { json, route } from "@/lib/server/http/route";
import { revokeSession } from "@/lib/server/auth/accounts";
import { idParamsSchema } from "@/lib/validation/users";

export const DELETE = route(
  { operation: "auth.sessions.revoke", params: idParamsSchema },
  async ({ user, params }) => {
    await revokeSession(user, params.id);
    return json({ ok: true });
  },
);
