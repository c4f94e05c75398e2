import { json, route } from "@/lib/server/http/route";
import { deleteConnection, getConnection, updateConnection } from "@/lib/server/connections";
import { connectionSchema, idParamsSchema, updateConnectionSchema } from "@/lib/validation/connections";

export const GET = route(
  { operation: "connection.read", params: idParamsSchema, response: connectionSchema },
  async ({ store }) => getConnection(store),
);

export const PATCH = route(
  {
    operation: "connection.update",
    params: idParamsSchema,
    body: updateConnectionSchema,
    response: connectionSchema,
  },
  async ({ store, body, audit }) => {
    audit.details = { fields: Object.keys(body).filter((k) => !/secret|token/i.test(k)) };
    return updateConnection(store, body);
  },
);

export const DELETE = route(
  { operation: "connection.delete", params: idParamsSchema },
  async ({ store, audit }) => {
    audit.details = { name: store.name };
    await deleteConnection(store);
    return json({ ok: true });
  },
);
