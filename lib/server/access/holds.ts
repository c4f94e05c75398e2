import "server-only";
import { scopeSchema, type Access, type GrantView } from "@/lib/access/scope";
import type { SessionUser } from "../auth/session";
import {
  findConnectionById,
  listConnectionRows,
  listConnectionsWithOwners,
  type OwnedConnectionRow,
} from "../db/connections";
import { lastRevokedGrant, liveGrantsFor, liveGrantsOfUser, type GrantRow } from "../db/grants";
import { teamIdsOf } from "../db/teams";
import { AppError } from "../http/app-error";
import { log } from "../log";

/** A connection as the signed-in user holds it: the row (with its owner's name) and what they may do. */
export interface Hold {
  row: OwnedConnectionRow;
  access: Access;
}

/** A stored scope that no longer parses grants nothing (fail closed), and is logged. */
function toGrantView(g: GrantRow): GrantView | null {
  try {
    const scope = scopeSchema.parse(JSON.parse(g.scope));
    return { role: g.role, scope };
  } catch (err) {
    log.error("grant with an unreadable scope ignored", { grantId: g.id, error: err });
    return null;
  }
}

const views = (rows: GrantRow[]) => rows.map(toGrantView).filter((g): g is GrantView => g !== null);

export function notFoundConnection(): AppError {
  return new AppError(
    "not_found",
    "No such access key: it may have been deleted, or it is not shared with you.",
  );
}

/**
 * How the user holds one connection: owner, administrator, or grantee with their live grants (direct and
 * through teams, read now: a grant revoked a moment ago no longer counts). A connection they cannot reach is
 * "not found"; one whose grant to them was revoked says so.
 */
export async function holdOf(user: SessionUser, connectionId: string): Promise<Hold> {
  const row = await findConnectionById(connectionId);
  if (!row) throw notFoundConnection();
  if (row.user_id === user.userId) return { row, access: { relation: "owner" } };
  if (user.role === "admin") return { row, access: { relation: "admin" } };
  const grants = views(await liveGrantsFor(connectionId, user.userId, await teamIdsOf(user.userId)));
  if (grants.length > 0) return { row, access: { relation: "grantee", grants } };
  if (await lastRevokedGrant(connectionId, user.userId)) {
    throw new AppError(
      "forbidden",
      `${row.owner_name} stopped sharing the access key "${row.name}" with you. Ask them to share it again if you still need it.`,
      { details: { reason: "revoked", owner: row.owner_name, connection: row.name } },
    );
  }
  throw notFoundConnection();
}

/**
 * Every connection the user holds: their own first (the default on top), then those shared with them, and
 * for an administrator every other user's too.
 */
export async function allHolds(user: SessionUser): Promise<Hold[]> {
  // One query for an administrator's list, two or three for anyone else's: this runs on every page.
  const ownFirst = (rows: OwnedConnectionRow[]) =>
    rows.sort((a, b) => b.is_default - a.is_default || a.created_at - b.created_at);
  if (user.role === "admin") {
    const all = await listConnectionsWithOwners("all");
    return [
      ...ownFirst(all.filter((r) => r.user_id === user.userId)).map((row): Hold => ({
        row,
        access: { relation: "owner" },
      })),
      ...all
        .filter((r) => r.user_id !== user.userId)
        .map((row): Hold => ({ row, access: { relation: "admin" } })),
    ];
  }
  const own = ownFirst(await listConnectionsWithOwners({ ownerId: user.userId }));
  const ownIds = new Set(own.map((r) => r.id));
  const holds: Hold[] = own.map((row) => ({ row, access: { relation: "owner" } }));
  const grants = await liveGrantsOfUser(user.userId, await teamIdsOf(user.userId));
  const byConnection = new Map<string, GrantRow[]>();
  for (const g of grants) {
    if (ownIds.has(g.connection_id)) continue;
    byConnection.set(g.connection_id, [...(byConnection.get(g.connection_id) ?? []), g]);
  }
  for (const row of await listConnectionsWithOwners([...byConnection.keys()])) {
    const gv = views(byConnection.get(row.id) ?? []);
    if (gv.length > 0) holds.push({ row, access: { relation: "grantee", grants: gv } });
  }
  return holds;
}

/** The connection a call without `?connection=` goes through: the user's default, else the first shared. */
export async function defaultHold(user: SessionUser): Promise<Hold> {
  const own = await listConnectionRows(user.userId);
  if (own[0]) return holdOf(user, own[0].id);
  const shared = (await allHolds(user))[0];
  if (shared) return shared;
  throw new AppError("not_found", "Add an access key first: buckets are reached through a connection.", {
    details: { reason: "no_connection" },
  });
}
