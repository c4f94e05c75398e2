import "server-only";
import { env } from "../env";
import {
  deleteExpiredSessions,
  deleteSessionByTokenHash,
  deleteSessionById,
  findSessionByTokenHash,
  insertSession,
  touchSession,
} from "../db/sessions";
import { hashToken, newToken } from "./tokens";

export const SESSION_COOKIE = "obm_session";

export interface SessionUser {
  sessionId: string;
  userId: string;
  username: string;
  role: "admin" | "user";
}

const TOUCH_EVERY_MS = 60_000;

export async function createSession(
  userId: string,
  meta: { userAgent: string | null; address: string | null },
): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const now = Date.now();
  const expiresAt = now + env().SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000;
  // Expired sessions are refused when used; sign-in is where the ones never used again are swept away.
  await deleteExpiredSessions(now, env().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  await insertSession({
    id: newToken(12),
    token_hash: hashToken(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
    address: meta.address,
  });
  return { token, expiresAt };
}

/** Resolves a cookie value to its user, or null when absent, unknown, idle too long or past its lifetime. */
export async function resolveSession(token: string | undefined | null): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const row = await findSessionByTokenHash(hashToken(token));
  if (!row) return null;
  const now = Date.now();
  const idleMs = env().SESSION_IDLE_TIMEOUT_SECONDS * 1000;
  if (row.expires_at <= now || row.last_seen_at + idleMs <= now) {
    await deleteSessionById(row.id);
    return null;
  }
  if (now - row.last_seen_at > TOUCH_EVERY_MS) await touchSession(row.id, now);
  return { sessionId: row.id, userId: row.user_id, username: row.username, role: row.role };
}

export async function destroySession(token: string | undefined | null): Promise<void> {
  if (token) await deleteSessionByTokenHash(hashToken(token));
}

export function sessionCookie(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`,
  ];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookie(secure: boolean): string {
  return sessionCookie("", { secure, maxAgeSeconds: 0 });
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
