import { json, route } from "@/lib/server/http/route";
import { importCredentialsCsv } from "@/lib/server/connections";
import { connectionSchema, importConnectionSchema } from "@/lib/validation/connections";

export const POST = route(
  { operation: "connections.import", body: importConnectionSchema, maxBodyBytes: 128 * 1024 },
  async ({ user, body, audit }) => {
    const created = await importCredentialsCsv(user, body);
    audit.connectionId = created.id;
    audit.ownerId = user.userId;
    audit.details = { name: created.name, imported: true };
    return json(connectionSchema.parse(created), { status: 201 });
  },
);
