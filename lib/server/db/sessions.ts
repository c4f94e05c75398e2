import "server-only";
import { db } from "./index";
import type { SessionsTable } from "./schema";

export type SessionRow = SessionsTable;

export async function insertSession(row: SessionRow): Promise<void> {
  await (await db()).insertInto("sessions").values(row).execute();
}

export async function findSessionByTokenHash(
  tokenHash: string,
): Promise<(SessionRow & { username: string; role: "admin" | "user" }) | undefined> {
  return (await db())
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("sessions")
    .select(["users.username", "users.role"])
    .where("sessions.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function touchSession(id: string, at: number): Promise<void> {
  await (await db()).updateTable("sessions").set({ last_seen_at: at }).where("id", "=", id).execute();
}

export async function deleteSessionByTokenHash(tokenHash: string): Promise<void> {
  await (await db()).deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}

export async function deleteSessionById(id: string): Promise<void> {
  await (await db()).deleteFrom("sessions").where("id", "=", id).execute();
}

/** Scoped by owner: another user's session id deletes nothing and returns false. */
export async function deleteUserSession(userId: string, id: string): Promise<boolean> {
  const r = await (
    await db()
  )
    .deleteFrom("sessions")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteOtherSessions(userId: string, keepId: string): Promise<number> {
  const r = await (
    await db()
  )
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("id", "!=", keepId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listUserSessions(userId: string): Promise<SessionRow[]> {
  return (await db())
    .selectFrom("sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("last_seen_at", "desc")
    .execute();
}

export async function deleteExpiredSessions(now: number, idleMs: number): Promise<number> {
  const r = await (
    await db()
  )
    .deleteFrom("sessions")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", now - idleMs)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
