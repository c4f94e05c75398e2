import { route } from "@/lib/server/http/route";
import { sessionsOf } from "@/lib/server/auth/accounts";
import { sessionListSchema } from "@/lib/validation/auth";

export const GET = route({ access: "user", response: sessionListSchema }, async ({ user }) => ({
  sessions: await sessionsOf(user),
}));
