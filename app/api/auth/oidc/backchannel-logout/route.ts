import { z } from "zod";
import { json, route } from "@/lib/server/http/route";
import { AppError } from "@/lib/server/http/app-error";
import { backchannelLogout } from "@/lib/server/auth/oidc";
import { OidcError } from "@/lib/server/auth/oidc-client";

/**
 * Called by the OpenID provider, not a browser: a signed logout token ends the matching sessions here at
 * once (OpenID Connect Back-Channel Logout 1.0). The token is verified against the provider's keys.
 */
export const POST = route(
  {
    operation: "auth.sso.backchannel-logout",
    serverToServer: true,
    body: z.object({ logout_token: z.string().min(1).max(16_384) }),
    maxBodyBytes: 32 * 1024,
  },
  async ({ body }) => {
    try {
      return json({ ended: await backchannelLogout(body.logout_token) });
    } catch (err) {
      if (err instanceof OidcError) throw new AppError("bad_request", `logout_token: ${err.message}`);
      throw err;
    }
  },
);
