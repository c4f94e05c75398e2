import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "./index";
import type { AuditLogTable } from "./schema";

export type AuditRow = AuditLogTable;
type Optional =
  | "owner_id"
  | "address"
  | "result"
  | "error_code"
  | "count"
  | "bytes"
  | "details"
  | "method"
  | "expires_at"
  | "connection_id"
  | "bucket"
  | "object_key"
  | "prefix";
export type AuditEntry = Omit<AuditLogTable, "id" | "created_at" | Optional> &
  Partial<Pick<AuditLogTable, Optional>>;

/** Append-only: this module has no update, and deletes only what is older than the retention period. */
/**
 * PostgreSQL text cannot hold U+0000, and a key or prefix a person typed may carry one
 * (validation refuses it at the edge, but the log also records refusals of such input).
 * The log keeps a visible stand-in instead of failing the write.
 */
function withoutNul(entry: AuditEntry): AuditEntry {
  const clean: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(entry)) {
    clean[field] = typeof value === "string" ? value.replaceAll("\u0000", "\uFFFD") : value;
  }
  return clean as AuditEntry;
}

export async function appendAudit(entry: AuditEntry): Promise<void> {
  await (
    await db()
  )
    .insertInto("audit_log")
    .values({
      connection_id: null,
      bucket: null,
      object_key: null,
      prefix: null,
      method: null,
      expires_at: null,
      owner_id: null,
      address: null,
      result: "ok",
      error_code: null,
      count: null,
      bytes: null,
      details: null,
      ...withoutNul(entry),
      id: randomUUID(),
      created_at: Date.now(),
    })
    .execute();
}

export interface AuditFilter {
  /** Only rows about connections this user owns (owners reading their own connections' log). */
  ownerId?: string;
  userId?: string;
  bucket?: string;
  action?: string;
  from?: number;
  to?: number;
  /** Rows strictly older than this position (created_at, id), for paging newest first. */
  before?: { at: number; id: string };
}

export async function listAudit(f: AuditFilter, limit: number): Promise<AuditRow[]> {
  let q = (await db()).selectFrom("audit_log").selectAll();
  if (f.ownerId !== undefined) q = q.where("owner_id", "=", f.ownerId);
  if (f.userId !== undefined) q = q.where("user_id", "=", f.userId);
  if (f.bucket !== undefined) q = q.where("bucket", "=", f.bucket);
  if (f.action !== undefined) {
    // "objects" matches objects.delete and objects.copy; "objects.delete" only itself.
    const action = f.action;
    q = q.where((eb) => eb.or([eb("action", "=", action), eb("action", "like", `${action}.%`)]));
  }
  if (f.from !== undefined) q = q.where("created_at", ">=", f.from);
  if (f.to !== undefined) q = q.where("created_at", "<", f.to);
  if (f.before) {
    const { at, id } = f.before;
    q = q.where((eb) =>
      eb.or([eb("created_at", "<", at), eb.and([eb("created_at", "=", at), eb("id", "<", id)])]),
    );
  }
  return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

/** Removes rows older than the retention period; returns how many went. */
export async function pruneAudit(olderThan: number): Promise<number> {
  const r = await (await db()).deleteFrom("audit_log").where("created_at", "<", olderThan).executeTakeFirst();
  return Number(r.numDeletedRows);
}
