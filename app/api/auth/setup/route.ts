import { route } from "@/lib/server/http/route";
import { setupFirstAdmin } from "@/lib/server/auth/accounts";
import { signedInResponse } from "@/lib/server/auth/respond";
import { credentialsSchema } from "@/lib/validation/auth";

export const POST = route(
  { access: "public", body: credentialsSchema },
  async ({ req, body, address, secure }) =>
    signedInResponse(
      await setupFirstAdmin(body, { userAgent: req.headers.get("user-agent"), address }),
      secure,
      201,
    ),
);
