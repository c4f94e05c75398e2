import { createMD5 } from "hash-wasm";
import type { DigestRequest, DigestResponse } from "./digest";
import { md5Base64 } from "./md5-base64";

// Reads and hashes files off the page's main thread (digest.ts starts it). The main thread is what limits a
// folder of small files once the network allows many requests at once (HTTP/2): reading a file and hashing
// it there cost about a tenth of it (CPU profile, 2,000 files of 64 KiB at 40 ms). The bytes, when asked
// for, are handed back without a copy.

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<DigestRequest>) => void) | null;
  postMessage(message: DigestResponse, transfer?: Transferable[]): void;
};
const hasher = createMD5();

scope.onmessage = async ({ data: { id, body, keep } }) => {
  try {
    const bytes = new Uint8Array(await body.arrayBuffer());
    const md5 = md5Base64(await hasher, bytes);
    scope.postMessage({ id, md5, bytes: keep ? bytes : null }, keep ? [bytes.buffer] : []);
  } catch {
    scope.postMessage({ id, md5: null, bytes: null });
  }
};
