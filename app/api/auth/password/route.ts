import { route } from "@/lib/server/http/route";
import { changePassword } from "@/lib/server/auth/accounts";
import { changePasswordSchema } from "@/lib/validation/auth";

export const POST = route(
  { operation: "auth.password", body: changePasswordSchema },
  ({ user, body, address }) => changePassword(user, body, address),
);
