import "server-only";
import { auditEntrySchema, type AuditEntry, type AuditQuery } from "@/lib/validation/audit";
import type { SessionUser } from "./auth/session";
import { listAudit, pruneAudit, type AuditFilter, type AuditRow } from "./db/audit-log";
import { env } from "./env";
import { AppError } from "./http/app-error";
import { log } from "./log";
import { csvField } from "./csv";

// Reading the audit log. Administrators read all of it; everyone else reads what happened to the access
// keys they own (whoever did it), so an owner sees what the people they shared a key with did.

function toEntry(r: AuditRow): AuditEntry {
  let details: Record<string, unknown> | null = null;
  if (r.details) {
    try {
      details = JSON.parse(r.details) as Record<string, unknown>;
    } catch {
      details = { raw: r.details };
    }
  }
  return auditEntrySchema.parse({
    id: r.id,
    at: new Date(r.created_at).toISOString(),
    userId: r.user_id,
    username: r.username,
    action: r.action,
    result: r.result === "denied" || r.result === "error" ? r.result : "ok",
    errorCode: r.error_code,
    address: r.address,
    connectionId: r.connection_id,
    bucket: r.bucket,
    key: r.object_key,
    prefix: r.prefix,
    count: r.count === null ? null : Number(r.count),
    bytes: r.bytes === null ? null : Number(r.bytes),
    details,
  });
}

const encodeCursor = (r: AuditRow) => Buffer.from(JSON.stringify([r.created_at, r.id])).toString("base64url");
function decodeCursor(raw: string | undefined): AuditFilter["before"] {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "string")
      return { at: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "cursor: is not a cursor this server gave out");
}

function filterFor(user: SessionUser, q: AuditQuery): AuditFilter {
  return {
    ...(user.role === "admin" ? {} : { ownerId: user.userId }),
    ...(q.user ? { userId: q.user } : {}),
    ...(q.bucket ? { bucket: q.bucket } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.from ? { from: Date.parse(q.from) } : {}),
    ...(q.to ? { to: Date.parse(q.to) } : {}),
  };
}

let lastPrune = 0;
const PRUNE_EVERY_MS = 3600_000;

/** Drops rows older than AUDIT_RETENTION_DAYS (0 keeps everything); at most once an hour per process. */
export async function pruneAuditLog(now = Date.now()): Promise<number> {
  const days = env().AUDIT_RETENTION_DAYS;
  if (days === 0 || now - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = now;
  const removed = await pruneAudit(now - days * 24 * 3600 * 1000);
  if (removed > 0) log.info("audit log pruned", { removed, retentionDays: days });
  return removed;
}

export async function auditPage(user: SessionUser, q: AuditQuery) {
  await pruneAuditLog();
  const rows = await listAudit({ ...filterFor(user, q), before: decodeCursor(q.cursor) }, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(toEntry),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
  };
}

const COLUMNS = [
  "at",
  "username",
  "action",
  "result",
  "errorCode",
  "address",
  "connectionId",
  "bucket",
  "key",
  "prefix",
  "count",
  "bytes",
  "details",
] as const;

/** The filtered log as CSV, newest first, read and written 1,000 rows at a time. */
export function exportAudit(user: SessionUser, q: AuditQuery): Response {
  const filter = filterFor(user, q);
  const encoder = new TextEncoder();
  let before: AuditFilter["before"];
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${COLUMNS.join(",")}\n`));
    },
    async pull(controller) {
      if (done) return controller.close();
      try {
        const rows = await listAudit({ ...filter, before }, 1000);
        const last = rows[rows.length - 1];
        if (rows.length < 1000 || !last) done = true;
        else before = { at: last.created_at, id: last.id };
        let chunk = "";
        for (const e of rows.map(toEntry)) {
          const cells = COLUMNS.map((c) => {
            const v = e[c];
            return v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
          });
          chunk += `${cells.map(csvField).join(",")}\n`;
        }
        if (chunk) controller.enqueue(encoder.encode(chunk));
        if (done) controller.close();
      } catch (err) {
        log.error("audit export failed", { error: err });
        controller.error(err);
      }
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
}
