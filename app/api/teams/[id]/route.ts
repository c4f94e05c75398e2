import { json, route } from "@/lib/server/http/route";
import { changeTeam, removeTeam } from "@/lib/server/teams";
import { idParamsSchema } from "@/lib/validation/users";
import { teamSchema, updateTeamSchema } from "@/lib/validation/sharing";

export const PATCH = route(
  { operation: "teams.update", params: idParamsSchema, body: updateTeamSchema, response: teamSchema },
  ({ params, body, audit }) => changeTeam(params.id, body, audit),
);

/** Removes the team; what was shared with it stops reaching its members at once. */
export const DELETE = route(
  { operation: "teams.delete", params: idParamsSchema },
  async ({ params, audit }) => {
    await removeTeam(params.id, audit);
    return json({ ok: true });
  },
);
