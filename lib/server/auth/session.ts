import "server-only";
import { env } from "../env";
import { masterKey, openingKeys } from "../crypto/master-key";
import { associatedData, open, seal } from "../crypto/secret-box";
import {
  claimSessionCheck,
  deleteExpiredSessions,
  deleteSessionByTokenHash,
  deleteSessionById,
  findSessionByTokenHash,
  insertSession,
  markSessionChecked,
  touchSession,
  type SessionRow,
} from "../db/sessions";
import { log } from "../log";
import { oidcSettings, recheck } from "./oidc-client";
import { hashToken, newToken } from "./tokens";

export const SESSION_COOKIE = "obm_session";
/**
 * Over HTTPS the session cookie carries the __Host- prefix: the browser then accepts it only with Secure,
 * Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it.
 */
export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

export interface SessionUser {
  sessionId: string;
  userId: string;
  username: string;
  role: "admin" | "user";
  /** "oidc" for people signed in by the OpenID provider: no password here. */
  authSource: "local" | "oidc";
}

/** What the OpenID provider gave for this sign-in, kept (sealed) to check the user again and to sign out. */
export interface ProviderSession {
  sid: string | undefined;
  refreshToken: string | undefined;
  idToken: string | undefined;
}

const TOUCH_EVERY_MS = 60_000;

const refreshAad = (sessionId: string) => associatedData(["obm.session.refresh", sessionId]);
const idTokenAad = (sessionId: string) => associatedData(["obm.session.id_token", sessionId]);

export function sessionIdToken(row: Pick<SessionRow, "id" | "oidc_id_token_sealed">): string | undefined {
  if (!row.oidc_id_token_sealed) return undefined;
  try {
    return open(row.oidc_id_token_sealed, openingKeys(), idTokenAad(row.id));
  } catch {
    return undefined;
  }
}

export async function createSession(
  userId: string,
  meta: { userAgent: string | null; address: string | null },
  provider?: ProviderSession,
): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const now = Date.now();
  const idleMs = env().SESSION_IDLE_TIMEOUT_SECONDS * 1000;
  const absolute = now + env().SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000;
  // A provider session without a refresh token cannot be checked with the provider again: it ends at the
  // idle timeout at the latest, so someone removed from the provider loses access by then.
  const expiresAt = provider && !provider.refreshToken ? Math.min(absolute, now + idleMs) : absolute;
  const id = newToken(12);
  // Expired sessions are refused when used; sign-in is where the ones never used again are swept away.
  await deleteExpiredSessions(now, idleMs);
  const key = masterKey();
  await insertSession({
    id,
    token_hash: hashToken(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
    address: meta.address,
    oidc_sid: provider?.sid ?? null,
    oidc_refresh_sealed: provider?.refreshToken ? seal(provider.refreshToken, key, refreshAad(id)) : null,
    oidc_id_token_sealed: provider?.idToken ? seal(provider.idToken, key, idTokenAad(id)) : null,
    oidc_checked_at: provider ? now : null,
  });
  return { token, expiresAt };
}

/**
 * A provider user's session is checked with the provider again (refresh token) once every
 * OIDC_RECHECK_SECONDS: refused there (removed, disabled, signed out), it ends here. When the provider cannot
 * be reached the session goes on, but never past the idle timeout since the last good check. One request
 * claims the check in the database, so parallel requests (and instances) do not spend the token twice.
 */
async function stillAllowedByProvider(row: SessionRow, now: number): Promise<boolean> {
  const settings = oidcSettings();
  if (!row.oidc_refresh_sealed || row.oidc_checked_at === null) return true;
  const checked = row.oidc_checked_at;
  if (!settings || now - checked < settings.recheckMs) return true;
  if (!(await claimSessionCheck(row.id, checked, now))) return true; // another request is checking
  let refreshToken: string;
  try {
    refreshToken = open(row.oidc_refresh_sealed, openingKeys(), refreshAad(row.id));
  } catch {
    return false;
  }
  const result = await recheck(settings, refreshToken);
  if (result.state === "ok") {
    const rotated =
      result.refreshToken && result.refreshToken !== refreshToken ? result.refreshToken : undefined;
    await markSessionChecked(row.id, now, {
      ...(rotated ? { refreshSealed: seal(rotated, masterKey(), refreshAad(row.id)) } : {}),
      // A good answer gives back the session's whole lifetime (an outage may have shortened it).
      expiresAt: row.created_at + env().SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000,
    });
    return true;
  }
  if (result.state === "gone") {
    log.info("provider session ended: signed out here too", { userId: row.user_id });
    return false;
  }
  // The provider cannot be reached: go on, but end within the idle timeout unless it answers by then.
  const deadline = Math.min(row.expires_at, now + env().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  await markSessionChecked(row.id, now, { expiresAt: deadline });
  log.warn("provider not reachable to check a session again", { userId: row.user_id });
  return true;
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
  if (!(await stillAllowedByProvider(row, now))) {
    await deleteSessionById(row.id);
    return null;
  }
  if (now - row.last_seen_at > TOUCH_EVERY_MS) await touchSession(row.id, now);
  return {
    sessionId: row.id,
    userId: row.user_id,
    username: row.username,
    role: row.role,
    authSource: row.auth_source,
  };
}

export async function destroySession(token: string | undefined | null): Promise<void> {
  if (token) await deleteSessionByTokenHash(hashToken(token));
}

export function sessionCookie(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [
    `${sessionCookieName(opts.secure)}=${token}`,
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

/**
 * One cookie's value from a Cookie header. A name sent twice (a cookie planted beside ours, for another path
 * or domain) gives no value at all, the same for pages and the API: which one a reader would pick is
 * ambiguous, so neither is trusted.
 */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  let found: string | undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    if (found !== undefined) return undefined;
    found = part.slice(eq + 1).trim();
  }
  return found;
}
