import "server-only";
import { randomUUID } from "node:crypto";
import type { CreateShare, Share } from "@/lib/validation/shares";
import type { StoreAccess } from "../access/authorize";
import type { AuditNote } from "../access/audit";
import type { SessionUser } from "../auth/session";
import { hashPassword } from "../auth/password";
import { hashToken, newToken } from "../auth/tokens";
import {
  findShareWithNames,
  insertShare,
  listShareFiles,
  listShareRows,
  updateShare,
  type ShareRowWithNames,
} from "../db/shares";
import { AppError } from "../http/app-error";
import { log } from "../log";
import { checkUploadCors } from "../uploads";
import { reconcileShareFiles } from "./received";

// The owner's side of share pages and upload requests: create (the address is shown once), list with
// counts, change the code or the lifetime, revoke (or close), and what an upload request received.

const iso = (ms: number) => new Date(ms).toISOString();

export function shareStatus(r: ShareRowWithNames, now = Date.now()): Share["status"] {
  if (r.revoked_at !== null) return "revoked";
  if (r.expires_at <= now) return "expired";
  if (r.single_use === 1 && r.used_at !== null) return "used";
  return "active";
}

function toShare(r: ShareRowWithNames, received: { files: number; bytes: number }): Share {
  return {
    id: r.id,
    kind: r.kind,
    connectionId: r.connection_id,
    connectionName: r.connection_name,
    creator: r.creator_name,
    bucket: r.bucket,
    key: r.object_key,
    prefix: r.prefix,
    title: r.title,
    hasCode: r.code_hash !== null,
    singleUse: r.single_use === 1,
    status: shareStatus(r),
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at),
    views: r.views,
    downloads: r.downloads,
    limits: {
      maxBytes: r.max_bytes,
      maxFiles: r.max_files,
      maxFileBytes: r.max_file_bytes,
      extensions: r.extensions ? (JSON.parse(r.extensions) as string[]) : null,
    },
    received,
  };
}

async function receivedOf(r: ShareRowWithNames) {
  if (r.kind !== "upload") return { files: 0, bytes: 0 };
  const files = (await listShareFiles(r.id)).filter((f) => f.status === "done");
  return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

/** The page's address: `/s/<token>` or `/u/<token>`. The token exists only in this answer. */
export async function createShare(
  store: StoreAccess,
  bucket: string,
  input: CreateShare,
  origin: string | null,
  audit: AuditNote,
): Promise<{ share: Share; path: string }> {
  if (input.kind === "upload") {
    // Outsiders upload from this app's page straight to the bucket: its CORS rules must let them.
    await checkUploadCors(await store.bucketCreds(bucket), bucket, origin);
  }
  const token = newToken(32);
  const now = Date.now();
  const id = randomUUID();
  await insertShare({
    id,
    token_hash: hashToken(token),
    kind: input.kind,
    connection_id: store.id,
    user_id: store.user.userId,
    bucket,
    object_key: input.key ?? null,
    prefix: input.key === undefined ? (input.prefix ?? "") : null,
    title: input.title || null,
    code_hash: input.code ? await hashPassword(input.code) : null,
    single_use: input.singleUse ? 1 : 0,
    expires_at: now + input.expiresIn * 1000,
    max_bytes: input.maxBytes ?? null,
    max_files: input.maxFiles ?? null,
    max_file_bytes: input.maxFileBytes ?? null,
    extensions: input.extensions?.length ? JSON.stringify([...new Set(input.extensions)]) : null,
    created_at: now,
    updated_at: now,
  });
  audit.expiresAt = now + input.expiresIn * 1000;
  audit.details = { share: id, kind: input.kind, code: input.code !== undefined, singleUse: input.singleUse };
  log.info("share created", { userId: store.user.userId, shareId: id, kind: input.kind, bucket });
  const row = await findShareWithNames(id);
  if (!row) throw new AppError("internal", "The share was not saved.");
  return {
    share: toShare(row, { files: 0, bytes: 0 }),
    path: `/${input.kind === "upload" ? "u" : "s"}/${token}`,
  };
}

export async function listShares(user: SessionUser): Promise<Share[]> {
  const rows = await listShareRows(user.role === "admin" ? "all" : { userId: user.userId });
  return Promise.all(rows.map(async (r) => toShare(r, await receivedOf(r))));
}

/** A share its creator (or an administrator) may change; anyone else is told it does not exist. */
async function ownShare(user: SessionUser, id: string): Promise<ShareRowWithNames> {
  const row = await findShareWithNames(id);
  if (!row || (row.user_id !== user.userId && user.role !== "admin")) {
    throw new AppError("not_found", "No such share.");
  }
  return row;
}

export async function changeShare(
  user: SessionUser,
  id: string,
  input: { expiresIn?: number; code?: string | null },
  audit: AuditNote,
): Promise<Share> {
  const row = await ownShare(user, id);
  if (row.revoked_at !== null) throw new AppError("conflict", "This share was revoked; make a new one.");
  await updateShare(id, {
    ...(input.expiresIn !== undefined ? { expires_at: Date.now() + input.expiresIn * 1000 } : {}),
    ...(input.code !== undefined
      ? { code_hash: input.code === null ? null : await hashPassword(input.code) }
      : {}),
  });
  audit.connectionId = row.connection_id;
  audit.bucket = row.bucket;
  audit.details = {
    share: id,
    ...(input.expiresIn !== undefined ? { expiresIn: input.expiresIn } : {}),
    ...(input.code !== undefined ? { code: input.code === null ? "removed" : "changed" } : {}),
  };
  const fresh = (await findShareWithNames(id))!;
  return toShare(fresh, await receivedOf(fresh));
}

/** Revoking a download share, or closing an upload request: the next request through it gets 410. */
export async function revokeShare(user: SessionUser, id: string, audit: AuditNote): Promise<Share> {
  const row = await ownShare(user, id);
  if (row.revoked_at === null) await updateShare(id, { revoked_at: Date.now() });
  audit.connectionId = row.connection_id;
  audit.bucket = row.bucket;
  audit.details = { share: id, kind: row.kind };
  const fresh = (await findShareWithNames(id))!;
  return toShare(fresh, await receivedOf(fresh));
}

/** What an upload request received (files the store holds are confirmed first). */
export async function receivedFiles(user: SessionUser, id: string) {
  const row = await ownShare(user, id);
  if (row.kind !== "upload") return { files: [] };
  await reconcileShareFiles(row).catch((err: unknown) =>
    log.warn("could not confirm received files", { shareId: id, error: err }),
  );
  return {
    files: (await listShareFiles(id)).map((f) => ({
      path: f.path,
      key: f.object_key,
      size: f.size,
      status: f.status === "done" ? ("done" as const) : ("planned" as const),
      createdAt: iso(f.created_at),
      completedAt: f.completed_at === null ? null : iso(f.completed_at),
    })),
  };
}
