import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { db, lockRows } from "./index";
import type { ShareFilesTable, SharesTable } from "./schema";

export type ShareRow = SharesTable;
export type ShareFileRow = ShareFilesTable;
export type ShareRowWithNames = ShareRow & { connection_name: string; creator_name: string };

export async function insertShare(
  row: Omit<ShareRow, "views" | "downloads" | "bytes_reserved" | "files_reserved" | "used_at" | "revoked_at">,
): Promise<ShareRow> {
  return (await db())
    .insertInto("shares")
    .values({
      ...row,
      views: 0,
      downloads: 0,
      bytes_reserved: 0,
      files_reserved: 0,
      used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findShareByTokenHash(tokenHash: string): Promise<ShareRow | undefined> {
  return (await db()).selectFrom("shares").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

function withNames() {
  return db().then((k) =>
    k
      .selectFrom("shares")
      .innerJoin("connections", "connections.id", "shares.connection_id")
      .innerJoin("users", "users.id", "shares.user_id")
      .selectAll("shares")
      .select(["connections.name as connection_name", "users.username as creator_name"]),
  );
}

export async function findShareWithNames(id: string): Promise<ShareRowWithNames | undefined> {
  return (await withNames()).where("shares.id", "=", id).executeTakeFirst();
}

/** Newest first: every share (administrators) or one creator's. */
export async function listShareRows(which: { userId: string } | "all"): Promise<ShareRowWithNames[]> {
  let q = await withNames();
  if (which !== "all") q = q.where("shares.user_id", "=", which.userId);
  return q.orderBy("shares.created_at", "desc").limit(1000).execute();
}

export async function updateShare(
  id: string,
  patch: Partial<Pick<ShareRow, "expires_at" | "code_hash" | "revoked_at" | "title">>,
): Promise<void> {
  await (
    await db()
  )
    .updateTable("shares")
    .set({ ...patch, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function countShareUse(id: string, what: "views" | "downloads"): Promise<void> {
  await (
    await db()
  )
    .updateTable("shares")
    .set(what === "views" ? { views: sql`views + 1` } : { downloads: sql`downloads + 1` })
    .where("id", "=", id)
    .execute();
}

/** A single-use share taken by its first visitor: true for exactly one caller, however many race. */
export async function takeSingleUse(id: string, now: number): Promise<boolean> {
  const r = await (
    await db()
  )
    .updateTable("shares")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface Reservation {
  path: string;
  size: number;
  /** Where the file would land, first choice first ("a.jpg", "a (1).jpg", …). */
  candidates: string[];
}

export type ReserveResult =
  | { ok: true; files: { id: string; key: string }[] }
  | { ok: false; reason: "bytes" | "files"; used: number; limit: number };

/**
 * Reserves room and a name for files about to be uploaded through an upload request, in one transaction
 * with the share row locked: parallel plans are decided one after the other, so together they never pass
 * the limits, and no two files get the same name (`taken`: names the store already has).
 */
export async function reserveShareFiles(
  shareId: string,
  visit: string,
  files: Reservation[],
  taken: Set<string>,
  now: number,
): Promise<ReserveResult> {
  return (await db()).transaction().execute(async (trx) => {
    const share = await lockRows(
      trx
        .selectFrom("shares")
        .select(["max_bytes", "max_files", "bytes_reserved", "files_reserved"])
        .where("id", "=", shareId),
    ).executeTakeFirstOrThrow();
    const bytes = files.reduce((n, f) => n + f.size, 0);
    if (share.max_files !== null && share.files_reserved + files.length > share.max_files) {
      return { ok: false, reason: "files", used: share.files_reserved, limit: share.max_files };
    }
    if (share.max_bytes !== null && share.bytes_reserved + bytes > share.max_bytes) {
      return { ok: false, reason: "bytes", used: share.bytes_reserved, limit: share.max_bytes };
    }
    const all = files.flatMap((f) => f.candidates);
    const reserved =
      all.length === 0
        ? []
        : await trx
            .selectFrom("share_files")
            .select("object_key")
            .where("share_id", "=", shareId)
            .where("object_key", "in", all)
            .where("status", "!=", "cancelled")
            .execute();
    const used = new Set([...taken, ...reserved.map((r) => r.object_key)]);
    const chosen = files.map((f) => {
      const key = f.candidates.find((k) => !used.has(k)) ?? `${f.candidates[0]}.${randomUUID().slice(0, 8)}`;
      used.add(key);
      return { id: randomUUID(), key };
    });
    if (files.length > 0) {
      await trx
        .insertInto("share_files")
        .values(
          files.map((f, i) => ({
            id: chosen[i]!.id,
            share_id: shareId,
            visit,
            path: f.path,
            object_key: chosen[i]!.key,
            size: f.size,
            upload_id: null,
            status: "planned" as const,
            created_at: now,
            signed_at: now,
            completed_at: null,
          })),
        )
        .execute();
    }
    await trx
      .updateTable("shares")
      .set({
        bytes_reserved: sql`bytes_reserved + ${bytes}`,
        files_reserved: sql`files_reserved + ${files.length}`,
      })
      .where("id", "=", shareId)
      .execute();
    return { ok: true, files: chosen };
  });
}

export async function touchShareFile(id: string, now: number): Promise<void> {
  await (await db()).updateTable("share_files").set({ signed_at: now }).where("id", "=", id).execute();
}

export async function setShareFileUpload(id: string, uploadId: string): Promise<void> {
  await (await db()).updateTable("share_files").set({ upload_id: uploadId }).where("id", "=", id).execute();
}

/** The visit's own file sent under this path, still planned or done (the newest, if it was sent again). */
export async function findShareFile(
  shareId: string,
  visit: string,
  path: string,
): Promise<ShareFileRow | undefined> {
  return (await db())
    .selectFrom("share_files")
    .selectAll()
    .where("share_id", "=", shareId)
    .where("visit", "=", visit)
    .where("path", "=", path)
    .where("status", "!=", "cancelled")
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

export async function finishShareFile(id: string, now: number): Promise<void> {
  await (
    await db()
  )
    .updateTable("share_files")
    .set({ status: "done", completed_at: now })
    .where("id", "=", id)
    .execute();
}

/** A cancelled upload gives its room back. */
export async function cancelShareFile(shareId: string, id: string): Promise<void> {
  await (await db()).transaction().execute(async (trx) => {
    const row = await lockRows(
      trx.selectFrom("share_files").select(["size", "status"]).where("id", "=", id),
    ).executeTakeFirst();
    if (!row || row.status !== "planned") return;
    await trx.updateTable("share_files").set({ status: "cancelled" }).where("id", "=", id).execute();
    await trx
      .updateTable("shares")
      .set({ bytes_reserved: sql`bytes_reserved - ${row.size}`, files_reserved: sql`files_reserved - 1` })
      .where("id", "=", shareId)
      .execute();
  });
}

/** What an upload request received: every file (its owner) or one visit's (the uploader). */
export async function listShareFiles(shareId: string, visit?: string): Promise<ShareFileRow[]> {
  let q = (await db()).selectFrom("share_files").selectAll().where("share_id", "=", shareId);
  if (visit !== undefined) q = q.where("visit", "=", visit);
  return q.where("status", "!=", "cancelled").orderBy("created_at").limit(10_000).execute();
}
