import { route } from "@/lib/server/http/route";
import { login } from "@/lib/server/auth/accounts";
import { signedInResponse } from "@/lib/server/auth/respond";
import { loginSchema } from "@/lib/validation/auth";

export const POST = route(
  { operation: "auth.login", body: loginSchema },
  async ({ req, body, address, secure, sessionToken }) =>
    signedInResponse(
      await login(body, { userAgent: req.headers.get("user-agent"), address, previousToken: sessionToken }),
      secure,
    ),
);
