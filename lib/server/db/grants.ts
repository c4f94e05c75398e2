import "server-only";
import { db, exclusive } from "./index";
import type { GrantsTable } from "./schema";

export type GrantRow = GrantsTable;
export interface GrantWithNames extends GrantRow {
  grantee_name: string;
}

// Grants are read on every request that reaches a shared connection, never cached: revoking or narrowing
// one takes effect on the very next request.

/** Live grants of one connection that reach this user, directly or through one of their teams. */
export async function liveGrantsFor(
  connectionId: string,
  userId: string,
  teamIds: string[],
): Promise<GrantRow[]> {
  return (await db())
    .selectFrom("grants")
    .selectAll()
    .where("connection_id", "=", connectionId)
    .where("revoked_at", "is", null)
    .where((eb) =>
      teamIds.length > 0
        ? eb.or([eb("user_id", "=", userId), eb("team_id", "in", teamIds)])
        : eb("user_id", "=", userId),
    )
    .execute();
}

/** Every live grant reaching this user, on any connection (for the list of keys shared with them). */
export async function liveGrantsOfUser(userId: string, teamIds: string[]): Promise<GrantRow[]> {
  return (await db())
    .selectFrom("grants")
    .selectAll()
    .where("revoked_at", "is", null)
    .where((eb) =>
      teamIds.length > 0
        ? eb.or([eb("user_id", "=", userId), eb("team_id", "in", teamIds)])
        : eb("user_id", "=", userId),
    )
    .execute();
}

/** The newest revoked grant of this connection to this user directly, if any (to explain a refusal). */
export async function lastRevokedGrant(connectionId: string, userId: string): Promise<GrantRow | undefined> {
  return (await db())
    .selectFrom("grants")
    .selectAll()
    .where("connection_id", "=", connectionId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is not", null)
    .orderBy("revoked_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function listGrantRows(connectionId: string): Promise<GrantWithNames[]> {
  const kysely = await db();
  const rows = await kysely
    .selectFrom("grants")
    .leftJoin("users", "users.id", "grants.user_id")
    .leftJoin("teams", "teams.id", "grants.team_id")
    .selectAll("grants")
    .select(["users.username", "teams.name as team_name"])
    .where("grants.connection_id", "=", connectionId)
    .where("grants.revoked_at", "is", null)
    .orderBy("grants.created_at")
    .execute();
  return rows.map(({ username, team_name, ...g }) => ({ ...g, grantee_name: username ?? team_name ?? "" }));
}

/** Inserts a live grant; undefined when the grantee already holds one on this connection. */
export async function insertGrant(row: GrantRow): Promise<GrantRow | undefined> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    await exclusive(trx, `obm.grants.${row.connection_id}`);
    const existing = await trx
      .selectFrom("grants")
      .select("id")
      .where("connection_id", "=", row.connection_id)
      .where("revoked_at", "is", null)
      .where((eb) =>
        row.user_id !== null ? eb("user_id", "=", row.user_id) : eb("team_id", "=", row.team_id),
      )
      .executeTakeFirst();
    if (existing) return undefined;
    await trx.insertInto("grants").values(row).execute();
    return row;
  });
}

/** Scoped by connection: a grant id of another connection changes nothing. */
export async function updateGrantRow(
  connectionId: string,
  id: string,
  patch: Partial<Pick<GrantRow, "role" | "scope">>,
): Promise<GrantRow | undefined> {
  const kysely = await db();
  await kysely
    .updateTable("grants")
    .set({ ...patch, updated_at: Date.now() })
    .where("id", "=", id)
    .where("connection_id", "=", connectionId)
    .where("revoked_at", "is", null)
    .execute();
  return kysely
    .selectFrom("grants")
    .selectAll()
    .where("id", "=", id)
    .where("connection_id", "=", connectionId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
}

export async function revokeGrantRow(connectionId: string, id: string): Promise<GrantRow | undefined> {
  const kysely = await db();
  const row = await kysely
    .selectFrom("grants")
    .selectAll()
    .where("id", "=", id)
    .where("connection_id", "=", connectionId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  await kysely
    .updateTable("grants")
    .set({ revoked_at: Date.now() })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
  return row;
}
