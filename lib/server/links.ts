import "server-only";
import { randomUUID } from "node:crypto";
import type { LinkRecord, PresignInput } from "@/lib/validation/links";
import type { SessionUser } from "./auth/session";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { deleteLinkRow, insertLink, listLinkRows, type LinkRow } from "./db/links";
import { AppError } from "./http/app-error";
import { csvField, localPath, shellComment, shellQuote } from "./csv";
import { log } from "./log";
import type { StoreCredentials } from "./s3/client";
import { objectExists, objectKeyPages, signer } from "./s3/presign";

// Presigned links. The record keeps what is needed to sign the same URL again (signing time, lifetime,
// options), never the signature: a copy of the database hands out no working link.

const INLINE_LIMIT = 1000;

function toRecord(r: LinkRow): LinkRecord {
  return {
    id: r.id,
    connectionId: r.connection_id,
    bucket: r.bucket,
    key: r.object_key,
    prefix: r.prefix,
    method: r.method,
    disposition: r.disposition,
    contentType: r.content_type,
    maxSizeBytes: r.max_size_bytes,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    cappedByToken: r.capped_by_token === 1,
  };
}

function signerFor(creds: StoreCredentials, row: LinkRow) {
  const sign = signer(creds);
  return (key: string) =>
    sign({
      bucket: row.bucket,
      key,
      method: row.method,
      expiresIn: row.expires_in,
      signingDate: new Date(row.signed_at),
      disposition: row.method === "GET" ? row.disposition : undefined,
      contentType: row.content_type,
    });
}

export async function createLinks(store: StoreAccess, bucket: string, input: PresignInput, audit: AuditNote) {
  const creds = await store.bucketCreds(bucket);
  const user = store.user;
  const signedAt = Date.now();
  let expiresIn = input.expiresIn;
  let capped = false;
  // A link signed with a temporary credential dies with its token: never promise longer.
  if (store.sessionTokenExpiresAt !== null && signedAt + expiresIn * 1000 > store.sessionTokenExpiresAt) {
    expiresIn = Math.floor((store.sessionTokenExpiresAt - signedAt) / 1000);
    capped = true;
    if (expiresIn < 1) {
      throw new AppError(
        "conflict",
        "The temporary credential of this connection has expired. Update it first.",
        {
          details: { storeCode: "ExpiredToken" },
        },
      );
    }
  }
  if (input.key !== undefined && input.method === "GET") await objectExists(creds, bucket, input.key);

  const row: LinkRow = {
    id: randomUUID(),
    user_id: user.userId,
    connection_id: store.id,
    bucket,
    object_key: input.key ?? null,
    prefix: input.prefix ?? null,
    method: input.method,
    disposition: input.disposition,
    content_type: input.method === "PUT" ? (input.contentType ?? null) : null,
    max_size_bytes: input.method === "PUT" ? (input.maxSizeBytes ?? null) : null,
    signed_at: signedAt,
    expires_in: expiresIn,
    expires_at: signedAt + expiresIn * 1000,
    capped_by_token: capped ? 1 : 0,
    created_at: signedAt,
  };
  const sign = signerFor(creds, row);
  const expiresAt = new Date(row.expires_at).toISOString();
  const links: { key: string; url: string; expiresAt: string }[] = [];
  let truncated = false;
  if (row.object_key !== null) {
    links.push({ key: row.object_key, url: await sign(row.object_key), expiresAt });
  } else {
    for await (const page of objectKeyPages(creds, bucket, row.prefix ?? "", 1)) {
      for (const key of page.keys.slice(0, INLINE_LIMIT))
        links.push({ key, url: await sign(key), expiresAt });
      truncated = page.more;
    }
  }
  await insertLink(row);
  audit.method = row.method;
  audit.expiresAt = row.expires_at;
  audit.details = { linkId: row.id };
  log.info("link created", { userId: user.userId, linkId: row.id, bucket, method: row.method, expiresIn });
  return { link: toRecord(row), links, truncated };
}

export async function listLinks(user: SessionUser): Promise<LinkRecord[]> {
  return (await listLinkRows(user.userId)).map(toRecord);
}

/**
 * A saved link, signed again: the route wrapper has already checked that its creator still holds the
 * connection with the role and scope the link needs (a revoked share ends "show again" and exports).
 */
async function liveRow(store: StoreAccess, row: LinkRow) {
  if (row.expires_at <= Date.now()) throw new AppError("conflict", "This link has expired. Make a new one.");
  const creds = await store.bucketCreds(row.bucket);
  return { row, sign: signerFor(creds, row), creds };
}

/** The same URL again (for a single key), while it has not expired. */
export async function showLink(store: StoreAccess, link: LinkRow) {
  const { row, sign } = await liveRow(store, link);
  const links =
    row.object_key === null
      ? []
      : [
          {
            key: row.object_key,
            url: await sign(row.object_key),
            expiresAt: new Date(row.expires_at).toISOString(),
          },
        ];
  return { link: toRecord(row), links, truncated: row.object_key === null };
}

export async function forgetLink(user: SessionUser, id: string): Promise<void> {
  if (!(await deleteLinkRow(user.userId, id))) throw new AppError("not_found", "No such link.");
}

/**
 * Every link of a folder (or the one link of a key) as CSV (`key,url,expires_at`), a plain list of URLs, or a
 * shell script that downloads them with curl into the folder's layout. Streamed a listing page at a time, so
 * a folder of any size costs the same memory.
 */
export async function exportLinks(
  store: StoreAccess,
  link: LinkRow,
  format: "csv" | "txt" | "sh",
): Promise<Response> {
  const { row, sign, creds } = await liveRow(store, link);
  const expiresAt = new Date(row.expires_at).toISOString();
  const base = row.prefix ?? "";
  const encoder = new TextEncoder();
  async function* pages(): AsyncGenerator<string[]> {
    if (row.object_key !== null) yield [row.object_key];
    else for await (const page of objectKeyPages(creds, row.bucket, base)) yield page.keys;
  }
  const iterator = pages();
  const header =
    format === "csv"
      ? "key,url,expires_at\n"
      : format === "sh"
        ? `#!/bin/sh\n# Downloads ${shellComment(`${row.bucket}/${base}`)} (links valid until ${expiresAt}).\nset -eu\n`
        : "";
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (header) controller.enqueue(encoder.encode(header));
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        let chunk = "";
        for (const key of next.value) {
          const url = await sign(key);
          if (format === "csv") chunk += `${csvField(key)},${csvField(url)},${expiresAt}\n`;
          else if (format === "txt") chunk += `${url}\n`;
          else {
            // Every word quoted; the file stays below the current folder whatever the key holds; the URL is
            // sent as is (--path-as-is), so a key with "." or ".." segments downloads the right object.
            const local = `./${localPath(key, base)}`;
            chunk += `mkdir -p ${shellQuote(local.replace(/\/[^/]*$/, ""))}\ncurl -fsS --path-as-is -o ${shellQuote(local)} ${shellQuote(url)}\n`;
          }
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (err) {
        log.error("link export failed", { linkId: row.id, error: err });
        controller.error(err);
      }
    },
    // The browser went away: stop listing the store.
    async cancel() {
      await iterator.return(undefined);
    },
  });
  const name = `${row.bucket}-${(row.object_key ?? base).replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "") || "links"}`;
  const types = {
    csv: "text/csv; charset=utf-8",
    txt: "text/plain; charset=utf-8",
    sh: "text/x-shellscript; charset=utf-8",
  };
  return new Response(stream, {
    headers: {
      "content-type": types[format],
      "content-disposition": `attachment; filename="${name}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
