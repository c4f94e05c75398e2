import { json, route } from "@/lib/server/http/route";
import { removeUser } from "@/lib/server/users";
import { idParamsSchema } from "@/lib/validation/users";

export const DELETE = route(
  { operation: "users.delete", params: idParamsSchema },
  async ({ user, params, audit }) => {
    audit.details = { userId: params.id };
    await removeUser(user, params.id);
    return json({ ok: true });
  },
);
