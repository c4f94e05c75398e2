import "server-only";
import { env } from "../env";

// scripts/start.mjs overwrites this header with the socket's address (or, with TRUST_PROXY, the address the
// proxy appended), so a client cannot choose it. Next's own x-forwarded-for keeps what the client sent.
export const CLIENT_ADDRESS_HEADER = "x-obm-client-address";

export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER);
}

/** Sent on every answer over HTTPS: a year, for this host only (subdomains are the operator's call). */
export const HSTS = "max-age=31536000";

/** Whether the browser reached us over HTTPS (directly, or through a trusted proxy). */
export function isSecureRequest(req: Request): boolean {
  return isSecureHeaders(req.headers, new URL(req.url).protocol);
}

/** The same from a page's headers (server components see headers, not the request). */
export function isSecureHeaders(h: Headers, protocol = "http:"): boolean {
  const e = env();
  if (e.APP_ORIGIN) return e.APP_ORIGIN.startsWith("https:");
  if (e.TRUST_PROXY && h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return protocol === "https:";
}

/**
 * Without APP_ORIGIN the server knows itself only by name: localhost, a loopback address, or HOST. A
 * request for any other name is refused, so a DNS-rebinding page (evil.example resolving to this server)
 * cannot act as a page of this app, first-time setup included. With APP_ORIGIN, the Origin check refuses
 * such mutations instead.
 */
export function isOwnHost(h: Headers): boolean {
  const e = env();
  if (e.APP_ORIGIN) return true;
  const raw =
    (e.TRUST_PROXY ? h.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined) ?? h.get("host") ?? "";
  let name: string;
  try {
    name = new URL(`http://${raw}`).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return false;
  }
  const own = ["localhost", "127.0.0.1", "::1"];
  if (e.HOST !== "0.0.0.0" && e.HOST !== "::") own.push(e.HOST.toLowerCase().replace(/^\[|\]$/g, ""));
  return own.includes(name);
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
