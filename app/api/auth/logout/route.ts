import { json, route } from "@/lib/server/http/route";
import { clearSessionCookie, destroySession } from "@/lib/server/auth/session";

export const POST = route({ operation: "auth.logout" }, async ({ sessionToken, secure }) => {
  await destroySession(sessionToken);
  return json({ ok: true }, { headers: { "set-cookie": clearSessionCookie(secure) } });
});
