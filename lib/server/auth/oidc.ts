import "server-only";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { safeNext } from "@/lib/safe-next";
import { masterKey, openingKeys } from "../crypto/master-key";
import { associatedData, open, seal } from "../crypto/secret-box";
import { deleteSessionsByOidc, findSessionByTokenHash } from "../db/sessions";
import { syncProviderTeams } from "../db/teams";
import { upsertOidcUser, userIdByOidc } from "../db/users";
import { log } from "../log";
import type { SignedIn } from "./accounts";
import {
  authorizationUrl,
  configuration,
  endSessionUrl,
  exchangeCode,
  newAttempt,
  oidcSettings,
  OidcError,
  type Attempt,
  type OidcSettings,
} from "./oidc-client";
import { createSession, sessionIdToken } from "./session";
import { hashToken } from "./tokens";

// Signing in through the OpenID provider: the attempt (state, nonce, PKCE verifier, where to go next) is
// kept in a short-lived, sealed, HttpOnly cookie that only the callback reads, once; the user is found by
// the provider's (issuer, subject), created on first sign-in, and their role and teams follow the
// provider's groups at every sign-in.

export const ATTEMPT_COOKIE = "obm_oidc";
const ATTEMPT_MS = 10 * 60_000;
const attemptAad = associatedData(["obm.oidc.attempt"]);

export function settingsOrFail(): OidcSettings {
  const s = oidcSettings();
  if (!s) throw new OidcError("not_configured", "Single sign-on is not set up on this server.");
  return s;
}

export const redirectUri = (origin: string) => `${origin}/api/auth/oidc/callback`;

function attemptCookie(value: string, secure: boolean, maxAge: number): string {
  return [
    `${ATTEMPT_COOKIE}=${value}`,
    "Path=/api/auth/oidc",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export const clearAttemptCookie = (secure: boolean) => attemptCookie("", secure, 0);

/** The redirect to the provider, with the attempt sealed into a cookie for the callback. */
export async function startSignIn(
  origin: string,
  next: string | null,
  secure: boolean,
): Promise<{ location: string; cookie: string }> {
  const s = settingsOrFail();
  const attempt = newAttempt();
  const url = await authorizationUrl(s, redirectUri(origin), attempt);
  const sealed = seal(
    JSON.stringify({ ...attempt, next: safeNext(next), at: Date.now() }),
    masterKey(),
    attemptAad,
  );
  return { location: url.toString(), cookie: attemptCookie(sealed, secure, ATTEMPT_MS / 1000) };
}

function readAttempt(cookie: string | undefined): Attempt & { next: string } {
  if (!cookie) {
    throw new OidcError(
      "attempt_expired",
      "No sign-in was started from this browser (or it was used already).",
    );
  }
  let v: { state?: unknown; nonce?: unknown; verifier?: unknown; next?: unknown; at?: unknown };
  try {
    v = JSON.parse(open(cookie, openingKeys(), attemptAad)) as typeof v;
  } catch {
    throw new OidcError("attempt_expired", "The sign-in attempt cookie is not one this server made.");
  }
  if (typeof v.at !== "number" || Date.now() - v.at > ATTEMPT_MS) {
    throw new OidcError("attempt_expired", "The sign-in took longer than 10 minutes.");
  }
  if (typeof v.state !== "string" || typeof v.nonce !== "string" || typeof v.verifier !== "string") {
    throw new OidcError("attempt_expired", "The sign-in attempt is incomplete.");
  }
  return { state: v.state, nonce: v.nonce, verifier: v.verifier, next: safeNext(String(v.next ?? "/")) };
}

function usernameOf(s: OidcSettings, claims: Record<string, unknown>, subject: string): string {
  for (const c of [s.usernameClaim, "preferred_username", "email", "name"]) {
    const v = claims[c];
    if (typeof v === "string" && v.trim()) {
      return v
        .replace(/[\u0000-\u001f\u007f]/g, "")
        .trim()
        .slice(0, 64);
    }
  }
  return subject.slice(0, 64);
}

function groupsOf(s: OidcSettings, claims: Record<string, unknown>): string[] {
  const v = claims[s.groupsClaim];
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === "string") : [];
}

/**
 * The callback: checks the attempt, trades the code (openid-client validates the ID token fully), then
 * signs the provider's user in with the role and teams their groups map to.
 */
export async function finishSignIn(
  origin: string,
  search: string,
  cookie: string | undefined,
  meta: { userAgent: string | null; address: string | null },
): Promise<SignedIn & { next: string; groups: string[] }> {
  const s = settingsOrFail();
  const attempt = readAttempt(cookie);
  // The callback address as the provider knows it (behind a proxy, the request's own URL may differ).
  const identity = await exchangeCode(s, new URL(`${redirectUri(origin)}${search}`), attempt);
  const groups = groupsOf(s, identity.claims);
  const issuer = (await configuration(s)).serverMetadata().issuer;
  const user = await upsertOidcUser({
    issuer,
    subject: identity.subject,
    username: usernameOf(s, identity.claims, identity.subject),
    role: groups.some((g) => s.adminGroups.has(g)) ? "admin" : "user",
  });
  const teams = groups.map((g) => s.groupTeams.get(g)).filter((t): t is string => t !== undefined);
  await syncProviderTeams(user.id, [...s.groupTeams.values()], teams);
  const session = await createSession(user.id, meta, {
    sid: identity.sid,
    refreshToken: identity.refreshToken,
    idToken: identity.idToken,
  });
  log.info("signed in through the provider", { userId: user.id, created: user.created, teams: teams.length });
  return {
    ...session,
    user: { id: user.id, username: user.username, role: user.role },
    next: attempt.next,
    groups,
  };
}

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/**
 * Back-channel logout: the provider tells us a session ended there (the user signed out, or was removed),
 * in a logout token signed with its keys. Every session of that provider session (or of that user) ends
 * here at once. Returns how many ended.
 */
export async function backchannelLogout(logoutToken: string): Promise<number> {
  const s = settingsOrFail();
  const metadata = (await configuration(s)).serverMetadata();
  if (!metadata.jwks_uri) throw new OidcError("token_invalid", "The provider publishes no keys.");
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(logoutToken, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
      issuer: metadata.issuer,
      audience: s.clientId,
      clockTolerance: 60,
      maxTokenAge: "10m",
    }));
  } catch (err) {
    throw new OidcError("token_invalid", "The logout token did not verify.", err);
  }
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events[BACKCHANNEL_EVENT] !== "object" || "nonce" in payload) {
    throw new OidcError("token_invalid", "This is not a back-channel logout token.");
  }
  const sid = typeof payload.sid === "string" ? payload.sid : undefined;
  const sub = typeof payload.sub === "string" ? payload.sub : undefined;
  if (!sid && !sub) throw new OidcError("token_invalid", "The logout token names no session and no user.");
  const userId = !sid && sub ? await userIdByOidc(metadata.issuer, sub) : undefined;
  const ended = await deleteSessionsByOidc(sid ? { sid } : userId ? { userId } : {});
  log.info("back-channel logout", { ended });
  return ended;
}

/** The provider's sign-out address for the session of this cookie, if the provider has one. */
export async function providerSignOutUrl(
  sessionToken: string | undefined,
  origin: string,
): Promise<string | null> {
  const s = oidcSettings();
  if (!s || !sessionToken) return null;
  const row = await findSessionByTokenHash(hashToken(sessionToken));
  if (!row || row.auth_source !== "oidc") return null;
  return endSessionUrl(s, `${origin}/login?signedOut=1`, sessionIdToken(row));
}

/** A failed sign-in ends on the sign-in page, which explains the failure; the attempt cookie goes. */
export function ssoFailureRedirect(origin: string, err: unknown, secure: boolean): Response {
  const failure = err instanceof OidcError ? err.failure : "provider_unreachable";
  if (!(err instanceof OidcError) || failure === "provider_unreachable" || failure === "token_invalid") {
    log.warn("single sign-on failed", { failure, error: err });
  }
  const headers = new Headers({ location: `${origin}/login?sso_error=${failure}` });
  headers.append("set-cookie", clearAttemptCookie(secure));
  return new Response(null, { status: 302, headers });
}
