import "server-only";
import type { z } from "zod";
import { SHARE_URL_SECONDS, type PublicShare, type shareListQuerySchema } from "@/lib/validation/shares";
import type { StoreAccess } from "../access/authorize";
import type { AuditNote } from "../access/audit";
import { json } from "../http/route";
import { countShareUse, takeSingleUse, listShareFiles, type ShareRow } from "../db/shares";
import { AppError } from "../http/app-error";
import { headObject, listFolder } from "../s3/objects";
import { signer } from "../s3/presign";
import { unlockCookie, type ShareAccess } from "./access";
import { checkCode } from "./code";

// The public side of a download share (/s/<token>): what it is, unlocking it, a folder page at a time inside
// it, and a presigned GET per file, issued on click and valid five minutes, so revoking ends downloads.

const nameOf = (row: ShareRow) => {
  const path = row.object_key ?? row.prefix ?? "";
  return path.replace(/\/$/, "").split("/").pop() || row.bucket;
};

export async function publicShareInfo(share: ShareAccess, audit: AuditNote): Promise<PublicShare> {
  const { row } = share;
  audit.details = { ...audit.details, unlocked: share.unlocked };
  if (share.unlocked) await countShareUse(row.id, "views");
  return {
    kind: row.kind,
    title: row.title,
    name: nameOf(row),
    isFolder: row.object_key === null,
    needsCode: row.code_hash !== null,
    unlocked: share.unlocked,
    expiresAt: new Date(row.expires_at).toISOString(),
    limits: row.kind === "upload" ? await uploadLimits(row) : null,
  };
}

async function uploadLimits(row: ShareRow): Promise<NonNullable<PublicShare["limits"]>> {
  const files = await listShareFiles(row.id);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  return {
    maxBytes: row.max_bytes,
    maxFiles: row.max_files,
    maxFileBytes: row.max_file_bytes,
    extensions: row.extensions ? (JSON.parse(row.extensions) as string[]) : null,
    filesLeft: row.max_files === null ? null : Math.max(0, row.max_files - files.length),
    bytesLeft: row.max_bytes === null ? null : Math.max(0, row.max_bytes - bytes),
  };
}

/**
 * The access code (throttled per share and per place), or taking a single-use share: this browser then
 * holds a cookie that unlocks this share only.
 */
export async function unlockShare(
  share: ShareAccess,
  code: string,
  address: string | null,
  secure: boolean,
  audit: AuditNote,
): Promise<Response> {
  const { row } = share;
  if (!share.unlocked) {
    if (row.code_hash !== null) await checkCode(row, code, address);
    if (row.single_use === 1 && !(await takeSingleUse(row.id, Date.now()))) {
      throw new AppError(
        "gone",
        "This link could be opened once, and it has been. Ask its owner for a new one.",
        {
          details: { reason: "used" },
        },
      );
    }
    await countShareUse(row.id, "views");
  }
  audit.details = { ...audit.details, unlocked: true };
  return json({ unlocked: true }, { headers: { "set-cookie": unlockCookie(row, secure) } });
}

/** A path inside the share, relative to it: "" is the share itself. */
export function keyInShare(row: ShareRow, relative: string): string {
  if (row.object_key !== null) {
    if (relative !== "") throw new AppError("not_found", "This link shares one file.");
    return row.object_key;
  }
  return `${row.prefix ?? ""}${relative}`;
}

export async function listShare(
  share: ShareAccess,
  store: StoreAccess,
  q: z.output<typeof shareListQuerySchema>,
) {
  const { row } = share;
  const creds = await store.bucketCreds(row.bucket);
  const base = row.prefix ?? "";
  if (row.object_key !== null) {
    const o = await headObject(creds, row.bucket, row.object_key);
    return {
      prefix: "",
      folders: [],
      objects: [
        {
          key: nameOf(row),
          size: o.size,
          lastModified: o.lastModified,
          etag: o.etag,
          storageClass: o.storageClass,
        },
      ],
      nextCursor: null,
    };
  }
  const page = await listFolder(creds, row.bucket, {
    prefix: `${base}${q.prefix}`,
    cursor: q.cursor,
    limit: 200,
  });
  // Names relative to the shared folder: the page never learns the bucket's layout above it.
  return {
    prefix: q.prefix,
    folders: page.folders.map((f) => ({ prefix: f.prefix.slice(base.length) })),
    objects: page.objects
      .filter((o) => !o.key.endsWith("/"))
      .map((o) => ({ ...o, key: o.key.slice(base.length) })),
    nextCursor: page.nextCursor,
  };
}

/** A presigned GET of one file in the share, for five minutes. Previews (inline) are not counted. */
export async function shareDownloadUrl(
  share: ShareAccess,
  store: StoreAccess,
  relative: string,
  inline: boolean,
  audit: AuditNote,
) {
  const { row } = share;
  const key = keyInShare(row, relative);
  if (key.endsWith("/") || key === "") throw new AppError("bad_request", "key: name a file, not a folder");
  const creds = await store.bucketCreds(row.bucket);
  // An archived file cannot be read until restored: say so, instead of a link the store refuses.
  const head = await headObject(creds, row.bucket, key);
  if (head.restoreRequired) {
    throw new AppError(
      "conflict",
      "This file is archived and must be restored before it can be downloaded: ask the person who shared it.",
      {
        details: {
          storeCode: head.restore.status === "in-progress" ? "RestoreInProgress" : "ObjectArchived",
        },
      },
    );
  }
  const signingDate = new Date();
  const url = await signer(creds)({
    bucket: row.bucket,
    key,
    method: "GET",
    expiresIn: SHARE_URL_SECONDS,
    signingDate,
    disposition: inline ? "inline" : "attachment",
  });
  audit.key = key;
  audit.action = inline ? "share.preview" : "share.download";
  if (!inline) await countShareUse(row.id, "downloads");
  return { url, expiresAt: new Date(signingDate.getTime() + SHARE_URL_SECONDS * 1000).toISOString() };
}
