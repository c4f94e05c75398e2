import "server-only";
import { neededRole, type Operation, type OperationInput, type Targets } from "@/lib/access/operations";
import { topRole } from "@/lib/access/can";
import { ROLES, type Role } from "@/lib/access/roles";
import { anyRole, browseView, canBucket, canPath, describeScope, type Access } from "@/lib/access/scope";
import type { SessionUser } from "../auth/session";
import { credentialsOf } from "../connections-crypto";
import type { OwnedConnectionRow } from "../db/connections";
import { AppError } from "../http/app-error";
import { bucketRegion, inRegion } from "../s3/buckets";
import type { StoreCredentials } from "../s3/client";
import { defaultHold, holdOf, type Hold } from "./holds";

/**
 * What a route handler gets for a call that reaches a store: the connection as this user holds it, its
 * credentials, and what the call was checked against. Handlers never look a connection up themselves.
 */
export interface StoreAccess {
  user: SessionUser;
  /** The connection's row (sealed secrets included: server-side only, never returned as is). */
  row: OwnedConnectionRow;
  id: string;
  name: string;
  ownerId: string;
  ownerName: string;
  access: Access;
  addressing: "virtual" | "path";
  /** When the connection's temporary credential ends (ms), or null for a permanent key. */
  sessionTokenExpiresAt: number | null;
  creds: StoreCredentials;
  /** The credentials moved to the bucket's own region (requests for a bucket go to its region). */
  bucketCreds(bucket: string): Promise<StoreCredentials>;
}

function refuseRole(hold: Hold, need: Role): AppError {
  const role = topRole(hold.access);
  return new AppError(
    "forbidden",
    `Your role on the access key "${hold.row.name}" is ${role ?? "none"}; this needs ${need}. Ask ${hold.row.owner_name}, who shared it, for the ${need} role.`,
    {
      details: { reason: "role", role, needed: need, owner: hold.row.owner_name, connection: hold.row.name },
    },
  );
}

function refuseScope(hold: Hold, need: Role, bucket: string, path: string | null): AppError {
  const a = hold.access;
  const allowed =
    a.relation === "grantee"
      ? a.grants
          .filter((g) => ROLES.indexOf(g.role) >= ROLES.indexOf(need))
          .map((g) => describeScope(g.scope))
          .join(", ")
      : "";
  const where = path === null ? `the whole bucket ${bucket}` : `${bucket}/${path}`;
  return new AppError(
    "forbidden",
    `${where} is outside what the access key "${hold.row.name}" lets you ${need === "viewer" ? "see" : "change"} (${allowed}). Ask ${hold.row.owner_name} to widen the share.`,
    {
      details: {
        reason: "scope",
        bucket,
        path,
        allowed,
        needed: need,
        owner: hold.row.owner_name,
        connection: hold.row.name,
      },
    },
  );
}

/** Refuses the call unless the user's hold covers the role and every target; throws AppError 403. */
export function checkTargets(hold: Hold, need: Role | null, targets: Targets | undefined): void {
  const a = hold.access;
  if (a.relation !== "grantee" || need === null) return;
  if (!anyRole(a, need)) throw refuseRole(hold, need);
  if (!targets?.bucket) return;
  const bucket = targets.bucket;
  if (targets.whole && !canBucket(a, need, bucket, true)) throw refuseScope(hold, need, bucket, null);
  if (!canBucket(a, need, bucket, false)) throw refuseScope(hold, need, bucket, "");
  for (const path of targets.paths ?? []) {
    if (!canPath(a, need, bucket, path)) throw refuseScope(hold, need, bucket, path);
  }
  if (targets.browse) {
    const { prefix, filter } = targets.browse;
    const view = browseView(a, need, bucket, prefix);
    if (view.kind === "denied") throw refuseScope(hold, need, bucket, prefix);
    if (view.kind === "full" && filter && !canPath(a, need, bucket, `${prefix}${filter}`)) {
      throw refuseScope(hold, need, bucket, `${prefix}${filter}`);
    }
  }
}

/**
 * The one gate of every connection-scoped call (run by the route wrapper before the handler): finds how
 * the user holds the connection, checks the operation's role and every bucket, folder and key it touches
 * (`targets`, from the operation table, computed for owners too so an entry that does not fit its route
 * fails for everyone), and only then opens the connection's credentials.
 */
export async function authorize(
  user: SessionUser,
  op: Operation,
  input: OperationInput,
  connectionId: string | undefined,
  targets: Targets | undefined,
): Promise<StoreAccess> {
  const hold = connectionId ? await holdOf(user, connectionId) : await defaultHold(user);
  if (op.who === "owner" && hold.access.relation === "grantee") {
    throw new AppError(
      "forbidden",
      `Only the owner of the access key "${hold.row.name}" (${hold.row.owner_name}) or an administrator can do this.`,
      { details: { reason: "owner", owner: hold.row.owner_name, connection: hold.row.name } },
    );
  }
  checkTargets(hold, neededRole(op, input), targets);
  const row = hold.row;
  const creds = credentialsOf(row);
  const store: StoreAccess = {
    user,
    row,
    id: row.id,
    name: row.name,
    ownerId: row.user_id,
    ownerName: row.owner_name,
    access: hold.access,
    addressing: row.addressing,
    sessionTokenExpiresAt: row.session_token_sealed ? row.session_token_expires_at : null,
    creds,
    async bucketCreds(bucket: string) {
      const region = await bucketRegion(creds, bucket);
      return region ? inRegion(creds, region) : creds;
    },
  };
  return store;
}

/** The same gate for server-rendered pages, which call services without going through a route. */
export async function authorizePage(
  user: SessionUser,
  op: Operation,
  input: OperationInput,
  connectionId: string | undefined,
): Promise<StoreAccess> {
  return authorize(user, op, input, connectionId, op.targets?.(input));
}
