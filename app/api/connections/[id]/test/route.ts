import { route } from "@/lib/server/http/route";
import { testConnection } from "@/lib/server/connections";
import { connectionTestSchema, idParamsSchema, testConnectionSchema } from "@/lib/validation/connections";

export const POST = route(
  {
    operation: "connection.test",
    params: idParamsSchema,
    body: testConnectionSchema,
    response: connectionTestSchema,
  },
  async ({ store, body, audit }) => {
    const result = await testConnection(store, body.bucket);
    if (body.bucket) audit.bucket = body.bucket;
    audit.details = { ok: result.ok, code: result.code };
    return result;
  },
);
