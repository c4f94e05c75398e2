import "server-only";
import { json } from "../http/route";
import type { SignedIn } from "./accounts";
import { sessionCookie } from "./session";

/** The answer to a successful sign-in or setup: the user, and the session cookie. */
export function signedInResponse(s: SignedIn, secure: boolean, status = 200): Response {
  const maxAgeSeconds = (s.expiresAt - Date.now()) / 1000;
  return json(
    { user: s.user },
    { status, headers: { "set-cookie": sessionCookie(s.token, { secure, maxAgeSeconds }) } },
  );
}
