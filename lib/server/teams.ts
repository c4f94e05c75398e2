import "server-only";
import type { z } from "zod";
import type { createTeamSchema, Directory, Team, updateTeamSchema } from "@/lib/validation/sharing";
import type { AuditNote } from "./access/audit";
import {
  deleteTeam,
  existingUserIds,
  findTeam,
  insertTeam,
  listTeams,
  updateTeam,
  type TeamWithMembers,
} from "./db/teams";
import { listUsers } from "./db/users";
import { AppError } from "./http/app-error";

function toTeam(t: TeamWithMembers): Team {
  return { id: t.id, name: t.name, members: t.members, createdAt: new Date(t.created_at).toISOString() };
}

async function checkMembers(ids: string[] | undefined) {
  if (!ids) return;
  const found = await existingUserIds(ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new AppError("validation_failed", `memberIds: no such user ${missing[0]}`);
}

export async function allTeams(): Promise<Team[]> {
  return (await listTeams()).map(toTeam);
}

export async function createTeam(input: z.output<typeof createTeamSchema>, audit: AuditNote): Promise<Team> {
  await checkMembers(input.memberIds);
  const row = await insertTeam(input.name, input.memberIds);
  if (!row) throw new AppError("conflict", `name: a team named "${input.name}" exists already`);
  audit.details = { teamId: row.id, name: row.name, members: input.memberIds.length };
  const team = await findTeam(row.id);
  if (!team) throw new AppError("not_found", "No such team.");
  return toTeam(team);
}

export async function changeTeam(
  id: string,
  input: z.output<typeof updateTeamSchema>,
  audit: AuditNote,
): Promise<Team> {
  await checkMembers(input.memberIds);
  const row = await updateTeam(id, input);
  if (row === "taken") throw new AppError("conflict", `name: a team named "${input.name}" exists already`);
  if (!row) throw new AppError("not_found", "No such team.");
  const team = await findTeam(id);
  if (!team) throw new AppError("not_found", "No such team.");
  audit.details = { teamId: id, name: team.name, members: team.members.map((m) => m.username) };
  return toTeam(team);
}

export async function removeTeam(id: string, audit: AuditNote): Promise<void> {
  const team = await findTeam(id);
  if (!team || !(await deleteTeam(id))) throw new AppError("not_found", "No such team.");
  audit.details = { teamId: id, name: team.name };
}

/** Everyone a key can be shared with (names only), for the sharing form. */
export async function directory(): Promise<Directory> {
  const [users, teams] = await Promise.all([listUsers(), listTeams()]);
  return {
    users: users.map((u) => ({ id: u.id, username: u.username })),
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
  };
}
