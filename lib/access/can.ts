import { operations, type OperationName } from "./operations";
import { ROLES, type Role } from "./roles";
import { anyRole, canBucket, canPath, type Access } from "./scope";

/**
 * Whether the signed-in user may perform an operation on a connection they hold, here: in a bucket as a
 * whole, in a bucket at all, at a key or folder, or anywhere. Pages use it to show only the controls that
 * can work; the server checks the same table on every request and stays the authority.
 */
export function can(
  access: Access,
  name: OperationName,
  where?: { bucket: string; path?: string; whole?: boolean },
): boolean {
  const op = operations[name] as { who: string };
  if (op.who === "owner") return access.relation !== "grantee";
  if (!(ROLES as readonly string[]).includes(op.who)) return true;
  const need = op.who as Role;
  if (!where) return anyRole(access, need);
  if (where.whole) return canBucket(access, need, where.bucket, true);
  if (where.path === undefined) return canBucket(access, need, where.bucket, false);
  return canPath(access, need, where.bucket, where.path);
}

/** The strongest role the user holds on a connection ("manager" for owners and administrators). */
export function topRole(access: Access): Role | null {
  if (access.relation !== "grantee") return "manager";
  let best = -1;
  for (const g of access.grants) best = Math.max(best, ROLES.indexOf(g.role));
  return ROLES[best] ?? null;
}
