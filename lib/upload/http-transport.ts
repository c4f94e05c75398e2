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

/**
 * A browser POST form (S3 POST Object): a CORS "simple" request, so no preflight. No upload progress
 * listener: registering one would make the browser send a preflight after all. The stall watchdog runs on
 * the answer alone (these bodies are small).
 */
export function xhrPostForm(
  url: string,
  fields: Record<string, string>,
  body: Blob | Uint8Array<ArrayBuffer>,
  signal: AbortSignal,
): Promise<PutResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    let stalled = false;
    const watchdog = setTimeout(() => {
      stalled = true;
      xhr.abort();
    }, STALL_MS);
    const done = (r: PutResult) => {
      clearTimeout(watchdog);
      signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const onAbort = () => xhr.abort();
    const failed = () => done({ status: 0, etag: null, code: stalled ? "Stalled" : null });
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", body instanceof Blob ? body : new Blob([body]));
    xhr.open("POST", url);
    xhr.onload = () => {
      const text = xhr.responseText;
      done({
        status: xhr.status,
        etag: /<ETag>([^<]+)<\/ETag>/.exec(text)?.[1] ?? xhr.getResponseHeader("etag"),
        code: xhr.status >= 300 ? storeCode(text) : null,
      });
    };
    xhr.onerror = failed;
    xhr.onabort = failed;
    signal.addEventListener("abort", onAbort);
    xhr.send(form);
  });
}

// The protocol each store origin answered with, from the page's resource timing. Entries are observed
// rather than read from the timeline, which holds only the first 250 resources of a page.
const protocols = new Map<string, string>();
let observer: PerformanceObserver | null = null;
export function protocolFor(url: string): string | undefined {
  if (!observer && typeof PerformanceObserver !== "undefined") {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceResourceTiming[]) {
        if (e.initiatorType !== "xmlhttprequest") continue;
        try {
          const origin = new URL(e.name).origin;
          if (origin !== location.origin && (e.nextHopProtocol || !protocols.has(origin)))
            protocols.set(origin, e.nextHopProtocol);
        } catch {
          // not a URL we care about
        }
      }
    });
    observer.observe({ type: "resource", buffered: true });
  }
  try {
    return protocols.get(new URL(url).origin);
  } catch {
    return undefined;
  }
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
  async plan(t, files, hints) {
    return (await api(base(t), planResultSchema, { method: "POST", body: { files, ...hints } })).uploads;
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
  postForm: xhrPostForm,
  protocol: protocolFor,
  md5,
};
