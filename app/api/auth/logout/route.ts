import { json, route } from "@/lib/server/http/route";
import { clearSessionCookie, destroySession } from "@/lib/server/auth/session";

export const POST = route({ access: "user" }, async ({ sessionToken, secure }) => {
  await destroySession(sessionToken);
  return json({ ok: true }, { headers: { "set-cookie": clearSessionCookie(secure) } });
});
