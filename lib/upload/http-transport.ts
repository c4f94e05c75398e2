import { createMD5, type IHasher } from "hash-wasm";
import { z } from "zod";
import { api, okSchema } from "@/lib/api-client";
import {
  completeResultSchema,
  conflictsResultSchema,
  partsResultSchema,
  planResultSchema,
  signPartsResultSchema,
} from "@/lib/validation/uploads";
import type { PutResult, UploadTarget, UploadTransport } from "./types";

// The browser's transport: our JSON API for planning and signing, XMLHttpRequest for the PUTs to the store
// (fetch has no upload progress), hash-wasm for Content-MD5 (Web Crypto has no MD5).

const base = (t: UploadTarget, path = "") =>
  `/api/buckets/${encodeURIComponent(t.bucket)}/uploads${path}?connection=${encodeURIComponent(t.connectionId)}`;
const one = (t: UploadTarget, uploadId: string, path = "") =>
  base(t, `/${encodeURIComponent(uploadId)}${path}`);

function storeCode(xml: string): string | null {
  return /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? null;
}

const PROGRESS_MIN = 1024 * 1024;

/**
 * A PUT that moves nothing for this long is given up, and the engine retries it: a connection that went
 * silent (a dropped NAT entry, a store that stopped answering) never ends by itself, since browsers set no
 * timeout on requests. "Moves" means upload progress (bodies above 1 MiB) or the answer arriving; a smaller
 * body must be sent and answered within the window. The AWS CLI's read timeout is the same minute.
 */
export const STALL_MS = 60_000;

export function xhrPut(
  url: string,
  body: Blob | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<PutResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    let stalled = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stalled = true;
        xhr.abort();
      }, STALL_MS);
    };
    const done = (r: PutResult) => {
      clearTimeout(watchdog);
      signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const failed = () => done({ status: 0, etag: null, code: stalled ? "Stalled" : null });
    const onAbort = () => xhr.abort();
    xhr.open("PUT", url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    // Progress events cost an IPC each: a small body only reports its end (the engine counts it when done).
    if ((body instanceof Blob ? body.size : body.byteLength) > PROGRESS_MIN) {
      xhr.upload.onprogress = (e) => {
        alive();
        onProgress(e.loaded);
      };
    }
    xhr.onreadystatechange = () => {
      if (xhr.readyState >= XMLHttpRequest.HEADERS_RECEIVED) alive();
    };
    xhr.onload = () =>
      done({
        status: xhr.status,
        etag: xhr.getResponseHeader("etag"),
        code: xhr.status >= 300 ? storeCode(xhr.responseText) : null,
      });
    xhr.onerror = failed;
    xhr.onabort = failed;
    xhr.ontimeout = failed;
    signal.addEventListener("abort", onAbort);
    alive();
    xhr.send(body);
  });
}

let hasher: Promise<IHasher> | null = null;
// On the page's main thread: 8 MiB hash in a few milliseconds with hash-wasm. (A worker would be better;
// this build's bundler, Turbopack, copies `new Worker(new URL(…))` targets as raw files instead of bundling.)
export async function md5(body: Blob | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(await body.arrayBuffer());
  hasher ??= createMD5();
  const h = await hasher;
  // Synchronous from init to digest: one hasher serves every call.
  h.init();
  h.update(bytes);
  let s = "";
  for (const b of h.digest("binary")) s += String.fromCharCode(b);
  return btoa(s);
}

export const httpTransport: UploadTransport = {
  async plan(t, files) {
    return (await api(base(t), planResultSchema, { method: "POST", body: { files } })).uploads;
  },
  async conflicts(t, keys) {
    return (await api(base(t, "/conflicts"), conflictsResultSchema, { method: "POST", body: { keys } }))
      .objects;
  },
  signParts(t, uploadId, key, partNumbers) {
    return api(one(t, uploadId, "/parts"), signPartsResultSchema, {
      method: "POST",
      body: { key, partNumbers },
    });
  },
  async listParts(t, uploadId, key) {
    return (await api(`${one(t, uploadId)}&key=${encodeURIComponent(key)}`, partsResultSchema)).parts;
  },
  async complete(t, uploadId, key, parts, size) {
    await api(one(t, uploadId, "/complete"), completeResultSchema, {
      method: "POST",
      body: { key, parts, ...(size !== undefined ? { size } : {}) },
    });
  },
  async report(t, report) {
    await api(base(t, "/report"), okSchema, { method: "POST", body: report });
  },
  async abort(t, uploadId, key) {
    await api(one(t, uploadId, "/abort"), z.object({ aborted: z.boolean() }), {
      method: "POST",
      body: { key },
    });
  },
  put: xhrPut,
  md5,
};
