import { json, route } from "@/lib/server/http/route";
import { revokeGrant, updateGrant } from "@/lib/server/sharing";
import { grantParamsSchema, grantSchema, updateGrantSchema } from "@/lib/validation/sharing";

/** Changes a share's role or scope: the grantee's next request is checked against the new one. */
export const PATCH = route(
  { operation: "grants.update", params: grantParamsSchema, body: updateGrantSchema, response: grantSchema },
  ({ store, params, body, audit }) => updateGrant(store, params.grantId, body, audit),
);

/** Stops sharing: the grantee's next request is refused, with a message that says so. */
export const DELETE = route(
  { operation: "grants.delete", params: grantParamsSchema },
  async ({ store, params, audit }) => {
    await revokeGrant(store, params.grantId, audit);
    return json({ ok: true });
  },
);
