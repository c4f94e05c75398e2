import "server-only";
import { headers } from "next/headers";
import { safeNext } from "@/lib/safe-next";
import { redirect } from "next/navigation";
import { setupRequired } from "./accounts";
import { isSecureHeaders } from "./request-info";
import { readCookie, resolveSession, sessionCookieName, type SessionUser } from "./session";

/** The signed-in user of the page being rendered, checked against the database (not only the cookie). */
export async function currentUser(): Promise<SessionUser | null> {
  const h = await headers();
  // The raw header, read exactly as the API reads it (a duplicated cookie counts as none in both).
  return resolveSession(readCookie(h.get("cookie"), sessionCookieName(isSecureHeaders(h))));
}

/** For pages behind sign-in: the user, or a redirect to setup (new install) or to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (user) return user;
  if (await setupRequired()) redirect("/setup");
  const next = safeNext((await headers()).get("x-obm-path"));
  redirect(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
}

export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== "admin") redirect("/");
  return user;
}
