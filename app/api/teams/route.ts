import { json, route } from "@/lib/server/http/route";
import { allTeams, createTeam } from "@/lib/server/teams";
import { createTeamSchema, teamListSchema, teamSchema } from "@/lib/validation/sharing";

export const GET = route({ operation: "teams.list", response: teamListSchema }, async () => ({
  teams: await allTeams(),
}));

export const POST = route({ operation: "teams.create", body: createTeamSchema }, async ({ body, audit }) =>
  json(teamSchema.parse(await createTeam(body, audit)), { status: 201 }),
);
