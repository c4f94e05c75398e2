import { route } from "@/lib/server/http/route";
import { setupFirstAdmin } from "@/lib/server/auth/accounts";
import { signedInResponse } from "@/lib/server/auth/respond";
import { credentialsSchema } from "@/lib/validation/auth";

export const POST = route(
  { operation: "auth.setup", body: credentialsSchema },
  async ({ req, body, address, secure, audit }) => {
    const signedIn = await setupFirstAdmin(body, { userAgent: req.headers.get("user-agent"), address });
    audit.actor = { userId: signedIn.user.id, username: signedIn.user.username };
    return signedInResponse(signedIn, secure, 201);
  },
);
