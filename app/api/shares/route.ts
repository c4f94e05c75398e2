import { route } from "@/lib/server/http/route";
import { listShares } from "@/lib/server/shares/owner";
import { shareListSchema } from "@/lib/validation/shares";

/** The signed-in user's shares and upload requests (an administrator's: everyone's), newest first. */
export const GET = route({ operation: "shares.list", response: shareListSchema }, async ({ user }) => ({
  shares: await listShares(user),
}));
