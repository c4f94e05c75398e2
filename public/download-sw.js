// Streams a zip built by the page to disk (folder download where the browser has no folder picker). The page
// sends the zip's bytes through a MessagePort, one chunk each time this worker asks for more, so neither
// side holds more than a chunk; the worker answers the navigation to /__zip/<id> with those bytes as an
// attachment, and the browser saves them as a download.
const waiting = new Map();

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "zip" || typeof data.id !== "string" || !event.ports[0]) return;
  const port = event.ports[0];
  const stream = new ReadableStream(
    {
      start(controller) {
        port.onmessage = ({ data: msg }) => {
          if (msg.type === "chunk") controller.enqueue(msg.chunk);
          else if (msg.type === "end") controller.close();
          else if (msg.type === "error") controller.error(new Error(String(msg.message)));
        };
      },
      pull() {
        port.postMessage({ type: "pull" });
      },
      cancel() {
        port.postMessage({ type: "cancel" });
      },
    },
    { highWaterMark: 1 },
  );
  waiting.set(data.id, { stream, name: String(data.name) });
  port.postMessage({ type: "ready" });
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/__zip/")) return;
  const id = url.pathname.slice("/__zip/".length);
  const entry = waiting.get(id);
  if (!entry) {
    event.respondWith(new Response("This download is no longer available.", { status: 404 }));
    return;
  }
  waiting.delete(id);
  const ascii = entry.name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  event.respondWith(
    new Response(entry.stream, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(entry.name)}`,
      },
    }),
  );
});
