import { z } from "zod";
import { api, okSchema } from "@/lib/api-client";
import {
  completeResultSchema,
  conflictsResultSchema,
  partsResultSchema,
  planResultSchema,
  signPartsResultSchema,
} from "@/lib/validation/uploads";
import { digest } from "./digest";
import type { UploadTarget, UploadTransport } from "./types";
import { xhrPostForm, xhrPut } from "./xhr";

// The browser's transport: our JSON API for planning and signing, XMLHttpRequest for the bytes to the store
// (xhr.ts), hash-wasm in a worker for Content-MD5 (digest.ts).

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

/** Base64 MD5 for Content-MD5, read and hashed in a worker where the page has one (digest.ts). */
export async function md5(body: Blob | Uint8Array<ArrayBuffer>): Promise<string> {
  return (await digest(body)).md5;
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
  digest,
};
