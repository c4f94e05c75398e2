import { route } from "@/lib/server/http/route";
import { testConnection } from "@/lib/server/connections";
import { connectionTestSchema, idParamsSchema, testConnectionSchema } from "@/lib/validation/connections";

export const POST = route(
  { access: "user", params: idParamsSchema, body: testConnectionSchema, response: connectionTestSchema },
  ({ user, params, body }) => testConnection(user, params.id, body.bucket),
);
