import { createMD5, type IHasher } from "hash-wasm";
import { z } from "zod";
import { api } from "@/lib/api-client";
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

export function xhrPut(
  url: string,
  body: Blob | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<PutResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const done = (r: PutResult) => {
      signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const onAbort = () => xhr.abort();
    xhr.open("PUT", url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    // Progress events cost an IPC each: a small body only reports its end (the engine counts it when done).
    if ((body instanceof Blob ? body.size : body.byteLength) > PROGRESS_MIN) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
    }
    xhr.onload = () =>
      done({
        status: xhr.status,
        etag: xhr.getResponseHeader("etag"),
        code: xhr.status >= 300 ? storeCode(xhr.responseText) : null,
      });
    xhr.onerror = () => done({ status: 0, etag: null, code: null });
    xhr.onabort = () => done({ status: 0, etag: null, code: null });
    xhr.ontimeout = () => done({ status: 0, etag: null, code: null });
    signal.addEventListener("abort", onAbort);
    xhr.send(body);
  });
}

let hasher: Promise<IHasher> | null = null;
// On the page's main thread: 8 MiB hash in a few milliseconds with hash-wasm. (A worker would be better;
// this build's bundler, Turbopack, copies `new Worker(new URL(…))` targets as raw files instead of bundling.)
async function md5(body: Blob | Uint8Array<ArrayBuffer>): Promise<string> {
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
      .existing;
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
  async complete(t, uploadId, key, parts) {
    await api(one(t, uploadId, "/complete"), completeResultSchema, { method: "POST", body: { key, parts } });
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
