import "server-only";
import { sql, type Transaction } from "kysely";
import { db, exclusive } from "./index";
import type { ConnectionsTable, Database } from "./schema";

export type ConnectionRow = ConnectionsTable;

// Every function takes the owner's id and scopes by it: another user's connection id finds nothing.

export async function listConnectionRows(userId: string): Promise<ConnectionRow[]> {
  return (await db())
    .selectFrom("connections")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("is_default", "desc")
    .orderBy("created_at")
    .execute();
}

export async function findConnectionRow(userId: string, id: string): Promise<ConnectionRow | undefined> {
  return (await db())
    .selectFrom("connections")
    .selectAll()
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export type OwnedConnectionRow = ConnectionRow & { owner_name: string };

// Unscoped reads, for the access layer only (lib/server/access/holds.ts): it decides whether the signed-in
// user owns, administers or was granted the connection before anything else sees the row.

export async function findConnectionById(id: string): Promise<OwnedConnectionRow | undefined> {
  return (await db())
    .selectFrom("connections")
    .innerJoin("users", "users.id", "connections.user_id")
    .selectAll("connections")
    .select("users.username as owner_name")
    .where("connections.id", "=", id)
    .executeTakeFirst();
}

/** Connections by id, or every connection when `ids` is "all" (administrators). */
/** Connections with their owner's name: these ids, every connection, or those one user owns. */
export async function listConnectionsWithOwners(
  which: string[] | "all" | { ownerId: string },
): Promise<OwnedConnectionRow[]> {
  if (Array.isArray(which) && which.length === 0) return [];
  let q = (await db())
    .selectFrom("connections")
    .innerJoin("users", "users.id", "connections.user_id")
    .selectAll("connections")
    .select("users.username as owner_name");
  if (Array.isArray(which)) q = q.where("connections.id", "in", which);
  else if (which !== "all") q = q.where("connections.user_id", "=", which.ownerId);
  return q.orderBy("connections.created_at").execute();
}

export async function countConnections(userId: string): Promise<number> {
  const r = await (
    await db()
  )
    .selectFrom("connections")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function nameTaken(userId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = (await db())
    .selectFrom("connections")
    .select("id")
    .where("user_id", "=", userId)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a connection; when it is the default (or the user's first), the others stop being default. */
export async function insertConnectionRow(row: ConnectionRow): Promise<ConnectionRow> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    await exclusive(trx, `obm.connections.${row.user_id}`);
    const existing = await trx
      .selectFrom("connections")
      .select("id")
      .where("user_id", "=", row.user_id)
      .limit(1)
      .executeTakeFirst();
    const stored = { ...row, is_default: row.is_default || !existing ? 1 : 0 };
    if (stored.is_default) {
      await trx
        .updateTable("connections")
        .set({ is_default: 0 })
        .where("user_id", "=", row.user_id)
        .execute();
    }
    await trx.insertInto("connections").values(stored).execute();
    return stored;
  });
}

export async function updateConnectionRow(
  userId: string,
  id: string,
  patch: Partial<Omit<ConnectionRow, "id" | "user_id" | "created_at">>,
): Promise<ConnectionRow | undefined> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    if (patch.is_default === 1) {
      await trx.updateTable("connections").set({ is_default: 0 }).where("user_id", "=", userId).execute();
    }
    await trx
      .updateTable("connections")
      .set(patch)
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .execute();
    return trx
      .selectFrom("connections")
      .selectAll()
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  });
}

/** Deletes a connection; if it was the default, the oldest remaining one becomes the default. */
export async function deleteConnectionRow(userId: string, id: string): Promise<boolean> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("connections")
      .select(["is_default"])
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!row) return false;
    await trx.deleteFrom("connections").where("id", "=", id).where("user_id", "=", userId).execute();
    if (row.is_default) {
      const next = await trx
        .selectFrom("connections")
        .select("id")
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .limit(1)
        .executeTakeFirst();
      if (next)
        await trx.updateTable("connections").set({ is_default: 1 }).where("id", "=", next.id).execute();
    }
    return true;
  });
}

export async function saveLastTest(userId: string, id: string, json: string): Promise<void> {
  await (
    await db()
  )
    .updateTable("connections")
    .set({ last_test: json })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .execute();
}

// For master-key rotation only: every sealed value of every user, and a way to replace them in one
// transaction.
export type SealedRow = Pick<
  ConnectionRow,
  "id" | "user_id" | "access_key_id" | "endpoint" | "seal_version" | "secret_sealed" | "session_token_sealed"
>;

export async function resealAllConnections(
  reseal: (
    row: SealedRow,
  ) => { secret_sealed: string; session_token_sealed: string | null; seal_version: number } | null,
  /** Runs in the same transaction once every row is done (a rotation records the new key id there). */
  finish?: (trx: Transaction<Database>) => Promise<void>,
): Promise<{ changed: number; total: number }> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("connections")
      .select([
        "id",
        "user_id",
        "access_key_id",
        "endpoint",
        "seal_version",
        "secret_sealed",
        "session_token_sealed",
      ])
      .execute();
    let changed = 0;
    for (const row of rows) {
      const next = reseal(row);
      if (!next) continue;
      await trx.updateTable("connections").set(next).where("id", "=", row.id).execute();
      changed++;
    }
    await finish?.(trx);
    return { changed, total: rows.length };
  });
}

/** How many connections hold a sealed secret, and the master key ids they were sealed under. */
export async function sealedKeySummary(): Promise<{ count: number; keyIds: string[] }> {
  const rows = await (await db()).selectFrom("connections").select("secret_sealed").execute();
  const ids = new Set(rows.map((r) => r.secret_sealed.split(".")[1] ?? ""));
  return { count: rows.length, keyIds: [...ids] };
}
