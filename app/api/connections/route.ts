import { json, route } from "@/lib/server/http/route";
import { createConnection, listConnections } from "@/lib/server/connections";
import { connectionListSchema, connectionSchema, createConnectionSchema } from "@/lib/validation/connections";

export const GET = route({ access: "user", response: connectionListSchema }, async ({ user }) => ({
  connections: await listConnections(user),
}));

export const POST = route({ access: "user", body: createConnectionSchema }, async ({ user, body }) =>
  json(connectionSchema.parse(await createConnection(user, body)), { status: 201 }),
);
