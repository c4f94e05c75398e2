import "server-only";
import { env } from "../env";

// scripts/start.mjs overwrites this header with the socket's address (or, with TRUST_PROXY, the address the
// proxy appended), so a client cannot choose it. Next's own x-forwarded-for keeps what the client sent.
export const CLIENT_ADDRESS_HEADER = "x-obm-client-address";

export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER);
}

/** Whether the browser reached us over HTTPS (directly, or through a trusted proxy). */
export function isSecureRequest(req: Request): boolean {
  const e = env();
  if (e.APP_ORIGIN) return e.APP_ORIGIN.startsWith("https:");
  if (e.TRUST_PROXY && req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return new URL(req.url).protocol === "https:";
}

/** The origin a same-origin browser request carries: APP_ORIGIN, or else this request's own host. */
export function expectedOrigin(req: Request): string | null {
  const e = env();
  if (e.APP_ORIGIN) return e.APP_ORIGIN;
  const host =
    (e.TRUST_PROXY ? req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined) ??
    req.headers.get("host") ??
    new URL(req.url).host;
  if (!host) return null;
  return `${isSecureRequest(req) ? "https" : "http"}://${host}`;
}

/**
 * Mutations are accepted only from our own pages: the Origin header must equal our origin. Browsers always
 * send Origin on cross-origin and on non-GET requests, so a forged form or fetch from another site fails here
 * even though SameSite=Lax already keeps the cookie off most of them.
 */
export function isSameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  const expected = expectedOrigin(req);
  if (origin) return expected !== null && origin === expected;
  return req.headers.get("sec-fetch-site") === "same-origin";
}
