import { json, route } from "@/lib/server/http/route";
import { createGrant, listGrants } from "@/lib/server/sharing";
import { idParamsSchema } from "@/lib/validation/connections";
import { createGrantSchema, grantListSchema, grantSchema } from "@/lib/validation/sharing";

/** Who this access key is shared with (its owner and administrators only). */
export const GET = route(
  { operation: "grants.list", params: idParamsSchema, response: grantListSchema },
  async ({ store }) => ({ grants: await listGrants(store) }),
);

export const POST = route(
  { operation: "grants.create", params: idParamsSchema, body: createGrantSchema },
  async ({ store, body, audit }) =>
    json(grantSchema.parse(await createGrant(store, body, audit)), { status: 201 }),
);
