import "server-only";
import { randomUUID } from "node:crypto";
import { describeScope, type Scope } from "@/lib/access/scope";
import type { CreateGrant, Grant } from "@/lib/validation/sharing";
import { grantSchema } from "@/lib/validation/sharing";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { insertGrant, listGrantRows, revokeGrantRow, updateGrantRow, type GrantRow } from "./db/grants";
import { findTeam } from "./db/teams";
import { findUserById } from "./db/users";
import { AppError } from "./http/app-error";
import { log } from "./log";

// Sharing one access key. The route wrapper has checked that the caller owns the connection or is an
// administrator; every query here is scoped by the connection's id.

function toGrant(row: GrantRow, name: string): Grant {
  return grantSchema.parse({
    id: row.id,
    connectionId: row.connection_id,
    grantee:
      row.user_id !== null
        ? { type: "user", id: row.user_id, name }
        : { type: "team", id: row.team_id ?? "", name },
    role: row.role,
    scope: JSON.parse(row.scope) as Scope,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  });
}

export async function listGrants(store: StoreAccess): Promise<Grant[]> {
  return (await listGrantRows(store.id)).map((g) => toGrant(g, g.grantee_name));
}

async function granteeName(store: StoreAccess, grantee: CreateGrant["grantee"]): Promise<string> {
  if (grantee.type === "user") {
    const user = await findUserById(grantee.id);
    if (!user) throw new AppError("validation_failed", "grantee.id: no such user");
    if (user.id === store.ownerId) {
      throw new AppError(
        "validation_failed",
        "grantee.id: is the owner of this access key, who has it all already",
      );
    }
    return user.username;
  }
  const team = await findTeam(grantee.id);
  if (!team) throw new AppError("validation_failed", "grantee.id: no such team");
  return team.name;
}

function auditGrant(audit: AuditNote, grant: Grant) {
  audit.details = {
    grantId: grant.id,
    grantee: `${grant.grantee.type}:${grant.grantee.name}`,
    role: grant.role,
    scope: describeScope(grant.scope),
  };
}

export async function createGrant(store: StoreAccess, input: CreateGrant, audit: AuditNote): Promise<Grant> {
  const name = await granteeName(store, input.grantee);
  const now = Date.now();
  const row = await insertGrant({
    id: randomUUID(),
    connection_id: store.id,
    user_id: input.grantee.type === "user" ? input.grantee.id : null,
    team_id: input.grantee.type === "team" ? input.grantee.id : null,
    role: input.role,
    scope: JSON.stringify(input.scope),
    created_by: store.user.userId,
    created_at: now,
    updated_at: now,
    revoked_at: null,
  });
  if (!row) {
    throw new AppError(
      "conflict",
      `grantee: ${name} already has this access key; change that share instead of adding another`,
    );
  }
  const grant = toGrant(row, name);
  auditGrant(audit, grant);
  log.info("grant created", { by: store.user.userId, connectionId: store.id, grantId: row.id });
  return grant;
}

async function nameOf(row: GrantRow): Promise<string> {
  if (row.user_id) return (await findUserById(row.user_id))?.username ?? "";
  return (row.team_id ? (await findTeam(row.team_id))?.name : undefined) ?? "";
}

export async function updateGrant(
  store: StoreAccess,
  grantId: string,
  input: { role?: Grant["role"]; scope?: Scope },
  audit: AuditNote,
): Promise<Grant> {
  const row = await updateGrantRow(store.id, grantId, {
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.scope !== undefined ? { scope: JSON.stringify(input.scope) } : {}),
  });
  if (!row) throw new AppError("not_found", "No such share of this access key.");
  const grant = toGrant(row, await nameOf(row));
  auditGrant(audit, grant);
  return grant;
}

export async function revokeGrant(store: StoreAccess, grantId: string, audit: AuditNote): Promise<void> {
  const row = await revokeGrantRow(store.id, grantId);
  if (!row) throw new AppError("not_found", "No such share of this access key.");
  auditGrant(audit, toGrant(row, await nameOf(row)));
  log.info("grant revoked", { by: store.user.userId, connectionId: store.id, grantId });
}
