import { json, route } from "@/lib/server/http/route";
import { importCredentialsCsv } from "@/lib/server/connections";
import { connectionSchema, importConnectionSchema } from "@/lib/validation/connections";

export const POST = route(
  { access: "user", body: importConnectionSchema, maxBodyBytes: 128 * 1024 },
  async ({ user, body }) =>
    json(connectionSchema.parse(await importCredentialsCsv(user, body)), { status: 201 }),
);
