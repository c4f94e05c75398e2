import { route } from "@/lib/server/http/route";
import { setupRequired } from "@/lib/server/auth/accounts";
import { sessionResponseSchema } from "@/lib/validation/auth";

export const GET = route(
  { operation: "auth.session", response: sessionResponseSchema },
  async ({ user }) => ({
    authenticated: user !== null,
    setupRequired: user ? false : await setupRequired(),
    user: user ? { id: user.userId, username: user.username, role: user.role } : null,
  }),
);
