import { z } from "zod";
import { route } from "@/lib/server/http/route";
import { expectedOrigin } from "@/lib/server/auth/request-info";
import { ssoFailureRedirect, startSignIn } from "@/lib/server/auth/oidc";

/** "Sign in with …": to the provider, with state, nonce and PKCE kept in a sealed cookie. */
export const GET = route(
  { operation: "auth.sso.start", query: z.object({ next: z.string().max(2048).optional() }) },
  async ({ req, query, secure }) => {
    const origin = expectedOrigin(req) ?? new URL(req.url).origin;
    try {
      const { location, cookie } = await startSignIn(origin, query.next ?? null, secure);
      return new Response(null, { status: 302, headers: { location, "set-cookie": cookie } });
    } catch (err) {
      return ssoFailureRedirect(origin, err, secure);
    }
  },
);
