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
import type { UploadTarget, UploadTransport } from "./types";
import { xhrPostForm, xhrPut } from "./xhr";

// The browser's transport: our JSON API for planning and signing, XMLHttpRequest for the bytes to the store
// (xhr.ts), hash-wasm for Content-MD5 (Web Crypto has no MD5).

const base = (t: UploadTarget, path = "") =>
  `/api/buckets/${encodeURIComponent(t.bucket)}/uploads${path}?connection=${encodeURIComponent(t.connectionId)}`;
const one = (t: UploadTarget, uploadId: string, path = "") =>
  base(t, `/${encodeURIComponent(uploadId)}${path}`);

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
