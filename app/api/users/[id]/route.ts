import { json, route } from "@/lib/server/http/route";
import { removeUser } from "@/lib/server/users";
import { idParamsSchema } from "@/lib/validation/users";

export const DELETE = route({ access: "admin", params: idParamsSchema }, async ({ user, params }) => {
  await removeUser(user, params.id);
  return json({ ok: true });
});
