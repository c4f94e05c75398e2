import { route } from "@/lib/server/http/route";
import { expectedOrigin } from "@/lib/server/auth/request-info";
import { readCookie, sessionCookie } from "@/lib/server/auth/session";
import { ATTEMPT_COOKIE, clearAttemptCookie, finishSignIn, ssoFailureRedirect } from "@/lib/server/auth/oidc";

/** The provider sends the browser back here with a code: signed in, or a page that says what went wrong. */
export const GET = route({ operation: "auth.sso.callback" }, async ({ req, address, secure, audit }) => {
  const origin = expectedOrigin(req) ?? new URL(req.url).origin;
  try {
    const signedIn = await finishSignIn(
      origin,
      new URL(req.url).search,
      readCookie(req.headers.get("cookie"), ATTEMPT_COOKIE),
      { userAgent: req.headers.get("user-agent"), address },
    );
    audit.actor = { userId: signedIn.user.id, username: signedIn.user.username };
    audit.details = { groups: signedIn.groups.slice(0, 50), role: signedIn.user.role };
    const headers = new Headers({ location: new URL(signedIn.next, origin).toString() });
    headers.append(
      "set-cookie",
      sessionCookie(signedIn.token, { secure, maxAgeSeconds: (signedIn.expiresAt - Date.now()) / 1000 }),
    );
    headers.append("set-cookie", clearAttemptCookie(secure));
    return new Response(null, { status: 302, headers });
  } catch (err) {
    return ssoFailureRedirect(origin, err, secure);
  }
});
