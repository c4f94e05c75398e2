import { makeZip } from "client-zip";
import type { Destination } from "./manager";

// Folder download where the browser has no folder picker (Firefox, Safari): one zip, built in the page as
// the files arrive (client-zip, streaming) and handed chunk by chunk to a service worker that answers a
// download navigation with it, so the zip is written to disk with constant memory. Files go into the zip
// one at a time, in the order the download fetches them (concurrency 1).

interface Entry {
  name: string;
  input: ReadableStream<Uint8Array>;
}

/** A destination that adds each file to a zip streamed to the browser's downloads as `name`. */
export async function zipDestination(
  name: string,
): Promise<{ dest: Destination; finish: (ok: boolean) => void }> {
  const reg = await navigator.serviceWorker.register("/download-sw.js", { scope: "/" });
  await navigator.serviceWorker.ready;
  const worker = reg.active ?? reg.waiting ?? reg.installing;
  if (!worker) throw new Error("the download helper (a service worker) did not start");

  // The files, as client-zip asks for them.
  const entries: Entry[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  async function* files(): AsyncGenerator<Entry> {
    for (;;) {
      if (entries.length > 0) yield entries.shift()!;
      else if (ended) return;
      else await new Promise<void>((r) => (wake = r));
    }
  }
  const zip = makeZip(files()).getReader();

  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const ready = new Promise<void>((resolve) => {
    channel.port1.onmessage = async ({ data }) => {
      if (data.type === "ready") resolve();
      else if (data.type === "cancel") void zip.cancel();
      else if (data.type === "pull") {
        try {
          const { done, value } = await zip.read();
          channel.port1.postMessage(done ? { type: "end" } : { type: "chunk", chunk: value });
        } catch (err) {
          channel.port1.postMessage({
            type: "error",
            message: err instanceof Error ? err.message : String(err),
          });
        }
      }
    };
  });
  worker.postMessage({ type: "zip", id, name }, [channel.port2]);
  await ready;
  // The navigation the worker answers with the zip: the browser saves it as a download.
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = name;
  frame.src = `/__zip/${id}`;
  document.body.appendChild(frame);
  setTimeout(() => frame.remove(), 60_000);

  const push = (e: Entry) => {
    entries.push(e);
    wake?.();
    wake = null;
  };
  return {
    dest: {
      sizeOf: async () => null,
      create: async (path) => {
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        push({ name: path.join("/"), input: readable });
        return writable;
      },
    },
    finish: (ok) => {
      ended = true;
      wake?.();
      wake = null;
      if (!ok) void zip.cancel();
    },
  };
}
