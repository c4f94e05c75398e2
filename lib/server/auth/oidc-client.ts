import "server-only";
import * as client from "openid-client";
import { env, type Env } from "../env";
import { log } from "../log";

// The relying-party side of OpenID Connect, through openid-client (a certified RP library): discovery, the
// authorization code flow with PKCE, full ID token validation (issuer, audience, expiry, nonce, signature
// against the provider's keys, fetched again when the provider rotates them), refresh and sign-out.
// Nothing here touches our users or sessions (lib/server/auth/oidc.ts does), so the session code can use
// the refresh check without an import circle.

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string;
  name: string;
  usernameClaim: string;
  groupsClaim: string;
  groupTeams: Map<string, string>;
  adminGroups: Set<string>;
  recheckMs: number;
}

export function oidcSettings(e: Env = env()): OidcSettings | null {
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID) return null;
  return {
    issuer: new URL(e.OIDC_ISSUER),
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    scopes: e.OIDC_SCOPES,
    name: e.OIDC_NAME,
    usernameClaim: e.OIDC_USERNAME_CLAIM,
    groupsClaim: e.OIDC_GROUPS_CLAIM,
    groupTeams: e.OIDC_GROUP_TEAMS,
    adminGroups: e.OIDC_ADMIN_GROUPS,
    recheckMs: e.OIDC_RECHECK_SECONDS * 1000,
  };
}

/** Why a sign-in through the provider failed, in words the sign-in page turns into a sentence. */
export type OidcFailure =
  | "not_configured"
  | "provider_unreachable"
  | "denied"
  | "attempt_expired"
  | "state_mismatch"
  | "code_rejected"
  | "clock_skew"
  | "token_invalid"
  | "no_identity"
  | "local_only";

export class OidcError extends Error {
  constructor(
    readonly failure: OidcFailure,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "OidcError";
  }
}

const DISCOVERY_TTL_MS = 3600_000;
let discovered: { key: string; at: number; config: Promise<client.Configuration> } | null = null;

/** A plain-http issuer is accepted only on loopback (a local provider for development and tests). */
function loopback(u: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
}

/** The provider's configuration, discovered once an hour (a failed discovery is not remembered). */
export function configuration(s: OidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer.href}|${s.clientId}`;
  if (discovered && discovered.key === key && Date.now() - discovered.at < DISCOVERY_TTL_MS) {
    return discovered.config;
  }
  const insecure = s.issuer.protocol === "http:" && loopback(s.issuer);
  const config = client
    .discovery(
      s.issuer,
      s.clientId,
      s.clientSecret,
      s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
      insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    )
    .catch((err: unknown) => {
      discovered = null;
      throw classify(err);
    });
  discovered = { key, at: Date.now(), config };
  return config;
}

/** Forgets the discovered configuration (tests; an operator changing providers restarts the server). */
export function forgetDiscovery(): void {
  discovered = null;
}

function codeOf(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
}

/** Maps a failure of openid-client (or of the network under it) to one a person can act on. */
export function classify(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof client.AuthorizationResponseError) {
    return new OidcError(err.error === "access_denied" ? "denied" : "code_rejected", message, err);
  }
  if (err instanceof client.ResponseBodyError) return new OidcError("code_rejected", message, err);
  if (code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED") return new OidcError("clock_skew", message, err);
  if (
    code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" ||
    code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED" ||
    code === "OAUTH_KEY_SELECTION_FAILED" ||
    code === "OAUTH_INVALID_RESPONSE" ||
    code === "OAUTH_RESPONSE_IS_NOT_CONFORM" ||
    code === "OAUTH_PARSE_ERROR" ||
    code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
  ) {
    return new OidcError("token_invalid", message, err);
  }
  return new OidcError("provider_unreachable", message, err);
}

let keyCache: client.ExportedJWKSCache | undefined;

/**
 * The discovered configuration, made anew for one sign-in with the provider's keys as last fetched, dated a
 * minute back: a key id the provider did not publish then (it rotated its keys) makes openid-client fetch
 * them again, which it does only for a key set older than a minute. A sign-in code is spent once, so a
 * failed key lookup cannot be retried.
 */
function withKeyCache(s: OidcSettings, discovered: client.Configuration): client.Configuration {
  const config = new client.Configuration(
    structuredClone(discovered.serverMetadata()),
    s.clientId,
    s.clientSecret,
    s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
  );
  if (s.issuer.protocol === "http:" && loopback(s.issuer)) client.allowInsecureRequests(config);
  // The ID token's signature is checked against the provider's published keys even though it came straight
  // from the token endpoint (OpenID Connect allows trusting TLS there; we do not stop at that).
  client.enableNonRepudiationChecks(config);
  config.timeout = 10;
  if (keyCache) {
    client.setJwksCache(config, {
      ...keyCache,
      uat: Math.min(keyCache.uat, Math.floor(Date.now() / 1000) - 60),
    });
  }
  return config;
}

export interface Attempt {
  state: string;
  nonce: string;
  verifier: string;
}

/** Where to send the browser: the provider's authorization endpoint, with state, nonce and PKCE. */
export async function authorizationUrl(s: OidcSettings, redirectUri: string, attempt: Attempt): Promise<URL> {
  const config = await configuration(s);
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: s.scopes,
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(attempt.verifier),
    code_challenge_method: "S256",
  });
}

export function newAttempt(): Attempt {
  return {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
  };
}

export interface ProviderIdentity {
  subject: string;
  claims: Record<string, unknown>;
  sid: string | undefined;
  refreshToken: string | undefined;
  idToken: string | undefined;
}

/** Trades the code for tokens, validating the ID token against everything this attempt expects. */
export async function exchangeCode(
  s: OidcSettings,
  callbackUrl: URL,
  attempt: Attempt,
): Promise<ProviderIdentity> {
  const config = await configuration(s);
  // Checked here first to tell the person plainly; openid-client checks it again below.
  const state = callbackUrl.searchParams.get("state");
  if (state !== attempt.state) {
    throw new OidcError("state_mismatch", "The answer's state is not the one this browser's sign-in sent.");
  }
  const fresh = withKeyCache(s, config);
  try {
    const tokens = await client.authorizationCodeGrant(fresh, callbackUrl, {
      pkceCodeVerifier: attempt.verifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    keyCache = client.getJwksCache(fresh) ?? keyCache;
    const claims = tokens.claims();
    if (!claims) throw new OidcError("token_invalid", "the provider returned no ID token");
    let all: Record<string, unknown> = { ...claims };
    // Groups often live only in the userinfo answer; ask when the ID token has none.
    if (
      all[s.groupsClaim] === undefined &&
      tokens.access_token &&
      config.serverMetadata().userinfo_endpoint
    ) {
      try {
        all = { ...(await client.fetchUserInfo(fresh, tokens.access_token, claims.sub)), ...all };
      } catch (err) {
        log.warn("userinfo not read; signing in without groups from it", { error: err });
      }
    }
    return {
      subject: claims.sub,
      claims: all,
      sid: typeof claims.sid === "string" ? claims.sid : undefined,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
    };
  } catch (err) {
    throw classify(err);
  }
}

/**
 * Asks the provider whether the user still may sign in, with their refresh token. "gone" when the provider
 * refuses (the account was removed or disabled, the session ended there); "unknown" when it cannot be
 * reached, so an outage does not sign everyone out.
 */
export async function recheck(
  s: OidcSettings,
  refreshToken: string,
): Promise<
  | { state: "ok"; refreshToken: string | undefined; claims: Record<string, unknown> | undefined }
  | { state: "gone" | "unknown" }
> {
  try {
    const tokens = await client.refreshTokenGrant(await configuration(s), refreshToken);
    const claims = tokens.claims();
    return { state: "ok", refreshToken: tokens.refresh_token, claims: claims ? { ...claims } : undefined };
  } catch (err) {
    const failure = classify(err);
    return { state: failure.failure === "provider_unreachable" ? "unknown" : "gone" };
  }
}

/** The provider's sign-out page, when it has one, coming back to our sign-in page. */
export async function endSessionUrl(
  s: OidcSettings,
  afterUrl: string,
  idToken: string | undefined,
): Promise<string | null> {
  try {
    const config = await configuration(s);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client
      .buildEndSessionUrl(config, {
        post_logout_redirect_uri: afterUrl,
        client_id: s.clientId,
        ...(idToken ? { id_token_hint: idToken } : {}),
      })
      .toString();
  } catch {
    return null;
  }
}
