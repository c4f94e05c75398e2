import { json, route } from "@/lib/server/http/route";
import { createConnection, listConnections } from "@/lib/server/connections";
import { connectionListSchema, connectionSchema, createConnectionSchema } from "@/lib/validation/connections";

export const GET = route(
  { operation: "connections.list", response: connectionListSchema },
  async ({ user }) => ({
    connections: await listConnections(user),
  }),
);

export const POST = route(
  { operation: "connections.create", body: createConnectionSchema },
  async ({ user, body, audit }) => {
    const created = await createConnection(user, body);
    audit.connectionId = created.id;
    audit.ownerId = user.userId;
    audit.details = { name: created.name, provider: created.provider };
    return json(connectionSchema.parse(created), { status: 201 });
  },
);
