import { json, route } from "@/lib/server/http/route";
import { deleteConnection, getConnection, updateConnection } from "@/lib/server/connections";
import { connectionSchema, idParamsSchema, updateConnectionSchema } from "@/lib/validation/connections";

export const GET = route(
  { access: "user", params: idParamsSchema, response: connectionSchema },
  ({ user, params }) => getConnection(user, params.id),
);

export const PATCH = route(
  { access: "user", params: idParamsSchema, body: updateConnectionSchema, response: connectionSchema },
  ({ user, params, body }) => updateConnection(user, params.id, body),
);

export const DELETE = route({ access: "user", params: idParamsSchema }, async ({ user, params }) => {
  await deleteConnection(user, params.id);
  return json({ ok: true });
});
