import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { db, exclusive } from "./index";
import type { TeamsTable } from "./schema";

export type TeamRow = TeamsTable;
export interface TeamWithMembers extends TeamRow {
  members: { id: string; username: string }[];
}

export async function listTeams(): Promise<TeamWithMembers[]> {
  const kysely = await db();
  const teams = await kysely.selectFrom("teams").selectAll().orderBy("name").execute();
  const members = await kysely
    .selectFrom("team_members")
    .innerJoin("users", "users.id", "team_members.user_id")
    .select(["team_members.team_id", "users.id", "users.username"])
    .orderBy("users.username")
    .execute();
  return teams.map((t) => ({
    ...t,
    members: members.filter((m) => m.team_id === t.id).map((m) => ({ id: m.id, username: m.username })),
  }));
}

export async function findTeam(id: string): Promise<TeamWithMembers | undefined> {
  return (await listTeams()).find((t) => t.id === id);
}

/** The teams a user belongs to (their grants reach them through these). */
export async function teamIdsOf(userId: string): Promise<string[]> {
  const rows = await (
    await db()
  )
    .selectFrom("team_members")
    .select("team_id")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((r) => r.team_id);
}

/** Inserts a team; undefined when the name is taken (case-insensitively). */
export async function insertTeam(name: string, memberIds: string[]): Promise<TeamRow | undefined> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    await exclusive(trx, "obm.teams");
    const taken = await trx
      .selectFrom("teams")
      .select("id")
      .where(sql<string>`lower(name)`, "=", name.toLowerCase())
      .executeTakeFirst();
    if (taken) return undefined;
    const now = Date.now();
    const row: TeamRow = { id: randomUUID(), name, created_at: now, updated_at: now };
    await trx.insertInto("teams").values(row).execute();
    if (memberIds.length > 0) {
      await trx
        .insertInto("team_members")
        .values(memberIds.map((user_id) => ({ team_id: row.id, user_id, added_at: now })))
        .execute();
    }
    return row;
  });
}

/**
 * Renames a team and/or replaces its members in one transaction. "taken" when the new name belongs to
 * another team, undefined when the team does not exist.
 */
export async function updateTeam(
  id: string,
  patch: { name?: string; memberIds?: string[] },
): Promise<TeamRow | "taken" | undefined> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    await exclusive(trx, "obm.teams");
    const row = await trx.selectFrom("teams").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return undefined;
    const now = Date.now();
    if (patch.name !== undefined) {
      const taken = await trx
        .selectFrom("teams")
        .select("id")
        .where(sql<string>`lower(name)`, "=", patch.name.toLowerCase())
        .where("id", "!=", id)
        .executeTakeFirst();
      if (taken) return "taken";
    }
    await trx
      .updateTable("teams")
      .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), updated_at: now })
      .where("id", "=", id)
      .execute();
    if (patch.memberIds) {
      await trx.deleteFrom("team_members").where("team_id", "=", id).execute();
      if (patch.memberIds.length > 0) {
        await trx
          .insertInto("team_members")
          .values(patch.memberIds.map((user_id) => ({ team_id: id, user_id, added_at: now })))
          .execute();
      }
    }
    return { ...row, ...(patch.name !== undefined ? { name: patch.name } : {}), updated_at: now };
  });
}

export async function deleteTeam(id: string): Promise<boolean> {
  const r = await (await db()).deleteFrom("teams").where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Which of these user ids exist (a team's members must be real users). */
export async function existingUserIds(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await (await db()).selectFrom("users").select("id").where("id", "in", ids).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Makes a provider user's membership of the teams named in the group mapping follow their groups: member of
 * each team in `wanted` (created when missing), of no other team in `managed`. Teams outside the mapping
 * are the administrators' to keep and are left alone.
 */
export async function syncProviderTeams(userId: string, managed: string[], wanted: string[]): Promise<void> {
  const kysely = await db();
  await kysely.transaction().execute(async (trx) => {
    await exclusive(trx, "obm.teams");
    const now = Date.now();
    for (const name of new Set(managed)) {
      let team = await trx
        .selectFrom("teams")
        .select("id")
        .where(sql<string>`lower(name)`, "=", name.toLowerCase())
        .executeTakeFirst();
      const want = wanted.includes(name);
      if (!team && want) {
        team = { id: randomUUID() };
        await trx
          .insertInto("teams")
          .values({ id: team.id, name, created_at: now, updated_at: now })
          .execute();
      }
      if (!team) continue;
      if (want) {
        await trx
          .insertInto("team_members")
          .values({ team_id: team.id, user_id: userId, added_at: now })
          .onConflict((oc) => oc.doNothing())
          .execute();
      } else {
        await trx
          .deleteFrom("team_members")
          .where("team_id", "=", team.id)
          .where("user_id", "=", userId)
          .execute();
      }
    }
  });
}
