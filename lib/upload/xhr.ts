import type { PutResult } from "./types";
import { formBody } from "./form-body";

// The requests that carry bytes to the store, with XMLHttpRequest (fetch has no upload progress): a
// presigned PUT, and a POST form. Both give up a request that stops moving (browsers set no timeout).

/**
 * A request that moves nothing for this long is given up, and the engine retries it: a connection that
 * went silent (a dropped NAT entry, a store that stopped answering) never ends by itself. "Moves" means
 * upload progress (PUT bodies above 1 MiB) or the answer arriving; a smaller body must be sent and answered
 * within the window. The AWS CLI's read timeout is the same minute.
 */
export const STALL_MS = 60_000;

/** Bodies above this report upload progress; smaller ones only their end (each event costs an IPC). */
const PROGRESS_MIN = 1024 * 1024;

function storeCode(xml: string): string | null {
  return /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? null;
}

function xhrSend(
  method: "PUT" | "POST",
  url: string,
  body: Blob | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  signal: AbortSignal,
  onProgress?: (loaded: number) => void,
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
    xhr.open(method, url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        alive();
        onProgress(e.loaded);
      };
    }
    xhr.onreadystatechange = () => {
      if (xhr.readyState >= XMLHttpRequest.HEADERS_RECEIVED) alive();
    };
    xhr.onload = () => {
      const text = xhr.responseText;
      done({
        status: xhr.status,
        // A PUT's ETag is a header; a POST answered with 201 carries it in its XML as well (RGW sends
        // no header then).
        etag: /<ETag>([^<]+)<\/ETag>/.exec(text)?.[1] ?? xhr.getResponseHeader("etag"),
        code: xhr.status >= 300 ? storeCode(text) : null,
      });
    };
    xhr.onerror = failed;
    xhr.onabort = failed;
    xhr.ontimeout = failed;
    signal.addEventListener("abort", onAbort);
    alive();
    xhr.send(body);
  });
}

/** A presigned PUT with its headers (Content-MD5 among them). */
export function xhrPut(
  url: string,
  body: Blob | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<PutResult> {
  const size = body instanceof Blob ? body.size : body.byteLength;
  return xhrSend("PUT", url, body, headers, signal, size > PROGRESS_MIN ? onProgress : undefined);
}

/**
 * A browser POST form (S3 POST Object): a CORS "simple" request, so no preflight. No upload progress
 * listener: registering one would make the browser send a preflight after all.
 */
export function xhrPostForm(
  url: string,
  fields: Record<string, string>,
  file: Blob | Uint8Array<ArrayBuffer>,
  signal: AbortSignal,
): Promise<PutResult> {
  const { body, contentType } = formBody(fields, file);
  return xhrSend("POST", url, body, { "content-type": contentType }, signal);
}
