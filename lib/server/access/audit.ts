import "server-only";
import type { Targets } from "@/lib/access/operations";
import { appendAudit } from "../db/audit-log";
import { AppError } from "../http/app-error";
import { log } from "../log";
import type { StoreAccess } from "./authorize";

/**
 * Facts a handler adds to its audit record: counts and bytes, a more precise action ("objects.move"
 * rather than "objects.copy"), the acting user where the call had no session yet (first-run setup), and
 * the bucket or key when the call's targets do not name them (a link's).
 */
export interface AuditNote {
  action?: string;
  count?: number;
  bytes?: number;
  details?: Record<string, unknown>;
  actor?: { userId: string; username: string };
  bucket?: string;
  key?: string;
  prefix?: string;
  connectionId?: string;
  ownerId?: string;
  /** Links: GET or PUT, and when they stop working. */
  method?: string;
  expiresAt?: number;
}

const MAX_PATHS_IN_DETAILS = 20;

/** The outcome of a call as the log records it: ok, refused by our access rules, or failed (with a code). */
export function outcomeOf(err: unknown): { result: "ok" | "denied" | "error"; code: string | null } {
  if (err === undefined) return { result: "ok", code: null };
  if (err instanceof AppError) {
    const storeCode = err.details?.storeCode;
    return {
      result: err.code === "forbidden" && !storeCode ? "denied" : "error",
      code: typeof storeCode === "string" ? storeCode : err.code,
    };
  }
  return { result: "error", code: "internal" };
}

/**
 * Writes one audit row for a call the operation table marks as audited: who, from where, which connection,
 * bucket, key or folder, the action, and the outcome. A failure to write is logged, never shown to the
 * user: the call itself has already happened.
 */
export async function recordAudit(input: {
  action: string;
  user: { userId: string; username: string } | null;
  address: string | null;
  store: StoreAccess | undefined;
  targets: Targets | undefined;
  note: AuditNote;
  error?: unknown;
}): Promise<void> {
  const { note, targets, store } = input;
  const actor = note.actor ?? input.user;
  if (!actor) return;
  const paths = targets?.paths ?? [];
  const single = paths.length === 1 ? paths[0] : undefined;
  const browse = targets?.browse?.prefix;
  const { result, code } = outcomeOf(input.error);
  const details = {
    ...(paths.length > 1 ? { paths: paths.slice(0, MAX_PATHS_IN_DETAILS), pathCount: paths.length } : {}),
    ...(note.details ?? {}),
  };
  try {
    await appendAudit({
      user_id: actor.userId,
      username: actor.username,
      action: note.action ?? input.action,
      connection_id: note.connectionId ?? store?.id ?? null,
      owner_id: note.ownerId ?? store?.ownerId ?? null,
      bucket: note.bucket ?? targets?.bucket ?? null,
      object_key: note.key ?? (single && !single.endsWith("/") ? single : null),
      prefix:
        note.prefix ??
        (single !== undefined && (single === "" || single.endsWith("/")) ? single : (browse ?? null)),
      method: note.method ?? null,
      expires_at: note.expiresAt ?? null,
      address: input.address,
      result,
      error_code: code,
      count: note.count ?? null,
      bytes: note.bytes ?? null,
      details: Object.keys(details).length > 0 ? JSON.stringify(details) : null,
    });
  } catch (err) {
    log.error("audit record not written", { action: input.action, error: err });
  }
}
