import "server-only";
import { db } from "./index";
import type { SessionsTable } from "./schema";

export type SessionRow = SessionsTable;

export async function insertSession(row: SessionRow): Promise<void> {
  await (await db()).insertInto("sessions").values(row).execute();
}

export async function findSessionByTokenHash(
  tokenHash: string,
): Promise<
  (SessionRow & { username: string; role: "admin" | "user"; auth_source: "local" | "oidc" }) | undefined
> {
  return (await db())
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("sessions")
    .select(["users.username", "users.role", "users.auth_source"])
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

/** After the provider confirmed the user again: when, and the refresh token it may have rotated. */
export async function markSessionChecked(
  id: string,
  at: number,
  change: { refreshSealed?: string; expiresAt?: number } = {},
): Promise<void> {
  await (
    await db()
  )
    .updateTable("sessions")
    .set({
      oidc_checked_at: at,
      ...(change.refreshSealed ? { oidc_refresh_sealed: change.refreshSealed } : {}),
      ...(change.expiresAt !== undefined ? { expires_at: change.expiresAt } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** Back-channel logout: every session of a provider session id, or of a user. */
export async function deleteSessionsByOidc(by: { sid?: string; userId?: string }): Promise<number> {
  let q = (await db()).deleteFrom("sessions");
  if (by.sid) q = q.where("oidc_sid", "=", by.sid);
  else if (by.userId) q = q.where("user_id", "=", by.userId);
  else return 0;
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Claims the provider check of a session: true for the one request that moved oidc_checked_at. */
export async function claimSessionCheck(id: string, seen: number, now: number): Promise<boolean> {
  const r = await (
    await db()
  )
    .updateTable("sessions")
    .set({ oidc_checked_at: now })
    .where("id", "=", id)
    .where("oidc_checked_at", "=", seen)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
