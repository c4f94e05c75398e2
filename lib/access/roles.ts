import { z } from "zod";

/**
 * What a person may do with an access key that was shared with them. Each role includes the one before it;
 * the key's owner and administrators may do everything, plus share, edit, test and delete the key.
 */
export const ROLES = ["viewer", "uploader", "editor", "manager"] as const;
export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
export type Role = z.infer<typeof roleSchema>;

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** How the signed-in user holds a connection: their own, as an administrator, or through grants. */
export type Relation = "owner" | "admin" | "grantee";
