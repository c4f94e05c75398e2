import { createMD5, type IHasher } from "hash-wasm";
import { md5Base64 } from "./md5-base64";

// Content-MD5 of what the page uploads: in a worker (md5-worker.ts) where the browser allows one, else on
// the main thread. Either way hash-wasm (Web Crypto has no MD5).

export interface DigestRequest {
  id: number;
  body: Blob;
  keep: boolean;
}
export interface DigestResponse {
  id: number;
  /** null: the file could not be read there. */
  md5: string | null;
  bytes: Uint8Array<ArrayBuffer> | null;
}
export interface Digest {
  md5: string;
  /** The bytes read, when asked for. */
  bytes: Uint8Array<ArrayBuffer> | null;
}

let hasher: Promise<IHasher> | null = null;
/** On the main thread: 8 MiB in a few milliseconds. */
async function md5Here(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  hasher ??= createMD5();
  return md5Base64(await hasher, bytes);
}

let worker: Worker | null | undefined; // undefined: not started yet; null: none (refused, or failed)
let nextId = 1;
const waiting = new Map<number, (r: DigestResponse | null) => void>();

function hashWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker === "undefined") return (worker = null);
  try {
    worker = new Worker(new URL("./md5-worker.ts", import.meta.url), { type: "module" });
  } catch {
    return (worker = null); // a CSP or a browser without module workers: the main thread does it
  }
  worker.onmessage = ({ data }: MessageEvent<DigestResponse>) => {
    waiting.get(data.id)?.(data);
    waiting.delete(data.id);
  };
  // The script did not load, the worker died or an answer could not be read: everything waiting is done
  // here instead, from now on (nothing waits for an answer that will not come).
  worker.onerror = worker.onmessageerror = () => {
    worker?.terminate();
    worker = null;
    for (const done of waiting.values()) done(null);
    waiting.clear();
  };
  return worker;
}

/** MD5 of `body` (base64), and with `keep` its bytes; rejects when the file cannot be read. */
export async function digest(body: Blob | Uint8Array<ArrayBuffer>, keep = false): Promise<Digest> {
  const w = body instanceof Blob ? hashWorker() : null;
  if (w && body instanceof Blob) {
    const id = nextId++;
    const r = await new Promise<DigestResponse | null>((resolve) => {
      waiting.set(id, resolve);
      w.postMessage({ id, body, keep } satisfies DigestRequest);
    });
    if (r?.md5) return { md5: r.md5, bytes: r.bytes };
    // Not read there (the worker failed, or the file): tried once more here, which says why.
  }
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(await body.arrayBuffer());
  return { md5: await md5Here(bytes), bytes: keep ? bytes : null };
}
