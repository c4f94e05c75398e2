import { route } from "@/lib/server/http/route";
import { sessionsOf } from "@/lib/server/auth/accounts";
import { sessionListSchema } from "@/lib/validation/auth";

export const GET = route(
  { operation: "auth.sessions.list", response: sessionListSchema },
  async ({ user }) => ({
    sessions: await sessionsOf(user),
  }),
);
