import "server-only";
import type { z } from "zod";
import { MULTIPART_THRESHOLD, partCountFor, partSizeFor, type UploadPlan } from "@/lib/validation/uploads";
import type { shareCompleteSchema, sharePlanSchema, shareSignPartsSchema } from "@/lib/validation/shares";
import type { StoreAccess } from "../access/authorize";
import type { AuditNote } from "../access/audit";
import {
  cancelShareFile,
  finishShareFile,
  findShareFile,
  listShareFiles,
  reserveShareFiles,
  setShareFileUpload,
  touchShareFile,
  type ShareFileRow,
  type ShareRow,
} from "../db/shares";
import { AppError } from "../http/app-error";
import { checkUploadCors } from "../uploads";
import { signer } from "../s3/presign";
import { abortMultipart, completeMultipart, createMultipart, existingKeys, listParts } from "../s3/uploads";
import type { ShareAccess } from "./access";
import { confirmReceived, SHARE_PUT_SECONDS } from "./received";

// The public side of an upload request (/u/<token>): people without an account send files into one folder,
// straight from their browser to the store, with the same engine as the console. Files land under
// <folder>/<the name the uploader gives, or the date>/<their path>, never over an existing object (a name
// taken gets " (1)"), within the owner's limits, each PUT signed with the exact size announced.

const formatBytes = (n: number) => {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
};

const extensionOf = (path: string) => {
  const name = path.split("/").pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
};

/** "a.jpg", "a (1).jpg", "a (2).jpg" …: the names a file may land under, in order. */
export function candidateKeys(key: string, count = 4): string[] {
  const slash = key.lastIndexOf("/");
  const dir = key.slice(0, slash + 1);
  const name = key.slice(slash + 1);
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  return Array.from({ length: count }, (_, n) => (n === 0 ? key : `${dir}${stem} (${n})${ext}`));
}

/** Refuses a file the request does not take, naming it and the rule. */
function checkFile(row: ShareRow, file: { key: string; size: number }, index: number): void {
  const allowed = row.extensions ? (JSON.parse(row.extensions) as string[]) : null;
  if (allowed && !allowed.includes(extensionOf(file.key))) {
    throw new AppError(
      "validation_failed",
      `files.${index}.key: "${file.key}" is not accepted here: only ${allowed.map((e) => `.${e}`).join(", ")} files are`,
      { details: { reason: "extension", path: file.key, allowed } },
    );
  }
  if (row.max_file_bytes !== null && file.size > row.max_file_bytes) {
    throw new AppError(
      "validation_failed",
      `files.${index}.size: "${file.key}" is ${formatBytes(file.size)}; files here may be at most ${formatBytes(row.max_file_bytes)}`,
      { details: { reason: "file-size", path: file.key, limit: row.max_file_bytes } },
    );
  }
}

const folderOf = (row: ShareRow, label: string | undefined, now: number) =>
  `${row.prefix ?? ""}${label || new Date(now).toISOString().slice(0, 10)}/`;

function singleUrl(
  sign: ReturnType<typeof signer>,
  row: ShareRow,
  file: ShareFileRow,
  contentType: string | undefined,
  signingDate: Date,
) {
  return sign({
    bucket: row.bucket,
    key: file.object_key,
    method: "PUT",
    expiresIn: SHARE_PUT_SECONDS,
    signingDate,
    contentType: contentType ?? null,
    contentLength: file.size,
  });
}

export async function planShareUploads(
  share: ShareAccess,
  store: StoreAccess,
  input: z.output<typeof sharePlanSchema>,
  origin: string | null,
  audit: AuditNote,
): Promise<{ uploads: UploadPlan[] }> {
  const { row } = share;
  input.files.forEach((f, i) => checkFile(row, f, i));
  const creds = await store.bucketCreds(row.bucket);
  await checkUploadCors(creds, row.bucket, origin);
  const now = Date.now();
  const signingDate = new Date(now);
  const expiresAt = new Date(now + SHARE_PUT_SECONDS * 1000).toISOString();
  const sign = signer(creds);

  // A file this visit planned before (its URL ran out, or the page was reloaded) keeps its name and room.
  const earlier = await Promise.all(input.files.map((f) => findShareFile(row.id, input.visit, f.key)));
  const fresh = input.files.filter((_, i) => !earlier[i] || earlier[i]!.status !== "planned");
  const folder = folderOf(row, input.label, now);
  const candidates = fresh.map((f) => candidateKeys(`${folder}${f.key}`));
  const taken = new Set(await existingKeys(creds, row.bucket, candidates.flat()));
  const reserved = await reserveShareFiles(
    row.id,
    input.visit,
    fresh.map((f, i) => ({ path: f.key, size: f.size, candidates: candidates[i]! })),
    taken,
    now,
  );
  if (!reserved.ok) {
    const left = Math.max(0, reserved.limit - reserved.used);
    throw new AppError(
      "conflict",
      reserved.reason === "files"
        ? `This request takes at most ${reserved.limit} files, and ${left} more can be sent.`
        : `This request takes at most ${formatBytes(reserved.limit)} in all; ${formatBytes(left)} is left.`,
      { details: { reason: reserved.reason, limit: reserved.limit, left } },
    );
  }
  const rows: ShareFileRow[] = [];
  let next = 0;
  for (let i = 0; i < input.files.length; i++) {
    const before = earlier[i];
    if (before && before.status === "planned") rows.push(before);
    else {
      const f = input.files[i]!;
      const chosen = reserved.files[next++]!;
      rows.push({
        id: chosen.id,
        share_id: row.id,
        visit: input.visit,
        path: f.key,
        object_key: chosen.key,
        size: f.size,
        upload_id: null,
        status: "planned",
        created_at: now,
        signed_at: now,
        completed_at: null,
      });
    }
  }
  const uploads: UploadPlan[] = [];
  for (const [i, file] of rows.entries()) {
    const f = input.files[i]!;
    if (file.size <= MULTIPART_THRESHOLD && !file.upload_id) {
      await touchShareFile(file.id, now);
      uploads.push({
        kind: "single",
        key: f.key,
        url: await singleUrl(sign, row, file, f.contentType, signingDate),
        headers: f.contentType ? { "content-type": f.contentType } : {},
        expiresAt,
      });
      continue;
    }
    let uploadId = file.upload_id;
    if (!uploadId) {
      uploadId = await createMultipart(creds, row.bucket, file.object_key, f.contentType);
      await setShareFileUpload(file.id, uploadId);
    }
    const partSize = partSizeFor(file.size);
    uploads.push({
      kind: "multipart",
      key: f.key,
      uploadId,
      partSize,
      partCount: partCountFor(file.size, partSize),
    });
  }
  audit.count = fresh.length;
  audit.bytes = fresh.reduce((n, f) => n + f.size, 0);
  audit.prefix = folder;
  audit.details = { ...audit.details, paths: rows.slice(0, 20).map((r) => r.object_key) };
  return { uploads };
}

/** The visit's own multipart file under this path, with this upload id. */
async function ownMultipart(row: ShareRow, visit: string, path: string, uploadId: string) {
  const file = await findShareFile(row.id, visit, path);
  if (!file || file.upload_id !== uploadId) {
    throw new AppError("not_found", "No such upload in this visit (it may have been cancelled).", {
      details: { storeCode: "NoSuchUpload" },
    });
  }
  return file;
}

export async function signShareParts(
  share: ShareAccess,
  store: StoreAccess,
  input: z.output<typeof shareSignPartsSchema>,
) {
  const { row } = share;
  const file = await ownMultipart(row, input.visit, input.key, input.uploadId);
  if (file.status !== "planned") throw new AppError("conflict", "This file is already complete.");
  const partSize = partSizeFor(file.size);
  const count = partCountFor(file.size, partSize);
  const sign = signer(await store.bucketCreds(row.bucket));
  const signingDate = new Date();
  const urls: Record<string, string> = {};
  for (const n of input.partNumbers) {
    if (n > count) throw new AppError("validation_failed", `partNumbers: this file has ${count} parts`);
    // Every part signed with its exact length: together they cannot pass the size announced.
    const length = n < count ? partSize : file.size - partSize * (count - 1);
    urls[String(n)] = await sign({
      bucket: row.bucket,
      key: file.object_key,
      method: "PUT",
      expiresIn: SHARE_PUT_SECONDS,
      signingDate,
      part: { uploadId: input.uploadId, partNumber: n },
      contentLength: length,
    });
  }
  return { urls, expiresAt: new Date(signingDate.getTime() + SHARE_PUT_SECONDS * 1000).toISOString() };
}

export async function listShareParts(
  share: ShareAccess,
  store: StoreAccess,
  input: { visit: string; key: string; uploadId: string },
) {
  const { row } = share;
  const file = await ownMultipart(row, input.visit, input.key, input.uploadId);
  return {
    parts: await listParts(await store.bucketCreds(row.bucket), row.bucket, file.object_key, input.uploadId),
  };
}

export async function completeShareUpload(
  share: ShareAccess,
  store: StoreAccess,
  input: z.output<typeof shareCompleteSchema>,
  audit: AuditNote,
) {
  const { row } = share;
  const file = await ownMultipart(row, input.visit, input.key, input.uploadId);
  const creds = await store.bucketCreds(row.bucket);
  const { etag } = await completeMultipart(creds, row.bucket, file.object_key, input.uploadId, input.parts);
  await finishShareFile(file.id, Date.now());
  audit.key = file.object_key;
  audit.count = 1;
  audit.bytes = file.size;
  return { key: input.key, etag };
}

export async function abortShareUpload(
  share: ShareAccess,
  store: StoreAccess,
  input: { visit: string; key: string; uploadId: string },
  audit: AuditNote,
) {
  const { row } = share;
  const file = await findShareFile(row.id, input.visit, input.key);
  if (file && file.upload_id === input.uploadId && file.status === "planned") {
    await abortMultipart(await store.bucketCreds(row.bucket), row.bucket, file.object_key, input.uploadId);
    await cancelShareFile(row.id, file.id);
    audit.key = file.object_key;
  }
  return { aborted: true };
}

/** What this visit sent (files the store holds are confirmed first). */
export async function visitFiles(share: ShareAccess, store: StoreAccess, visit: string) {
  const { row } = share;
  await confirmReceived(row, store);
  const base = row.prefix ?? "";
  return {
    files: (await listShareFiles(row.id, visit)).map((f) => ({
      path: f.path,
      storedAs: f.object_key.slice(base.length),
      size: f.size,
      status: f.status === "done" ? ("done" as const) : ("planned" as const),
    })),
  };
}
