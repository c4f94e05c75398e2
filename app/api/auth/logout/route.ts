import { json, route } from "@/lib/server/http/route";
import { expectedOrigin } from "@/lib/server/auth/request-info";
import { providerSignOutUrl } from "@/lib/server/auth/oidc";
import { clearSessionCookie, destroySession } from "@/lib/server/auth/session";

/**
 * Ends the session here. For someone signed in by the OpenID provider, the answer also carries the
 * provider's sign-out address (when it has one), which the page offers: signing out here does not sign
 * them out of every other application of the provider.
 */
export const POST = route({ operation: "auth.logout" }, async ({ req, sessionToken, secure }) => {
  const origin = expectedOrigin(req) ?? new URL(req.url).origin;
  const providerSignOut = await providerSignOutUrl(sessionToken, origin);
  await destroySession(sessionToken);
  return json(
    { ok: true, ...(providerSignOut ? { providerSignOut } : {}) },
    { headers: { "set-cookie": clearSessionCookie(secure) } },
  );
});
