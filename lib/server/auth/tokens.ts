import "server-only";
import { createHash, randomBytes } from "node:crypto";

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Only this hash of a session token is stored: a copy of the database does not hand out sessions. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
