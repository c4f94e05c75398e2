// The Node server around Next's request handler, shared by `npm start` (scripts/start.mjs) and the API
// benchmark's bare Next app, so both are served the same way. The client address the app sees comes from the
// socket (or, with trustProxy, from the proxy in front), never from a header the client chose. On SIGTERM it
// stops accepting, lets requests in flight finish (at most graceSeconds), then calls the app's shutdown hook.
import http from "node:http";

function malformedPath(url) {
  const path = url.split("?")[0] ?? "";
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
}

function clientAddress(req, trustProxy) {
  if (trustProxy) {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (forwarded.length > 0) return forwarded[forwarded.length - 1];
  }
  return req.socket.remoteAddress ?? "unknown";
}

export async function serve({ dir, port, host, trustProxy = false, graceSeconds = 20, banner }) {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Shared with lib/server/lifecycle.ts: the app reads `stopping` (readiness) and registers `shutdown`.
  const life = (globalThis[Symbol.for("obm.lifecycle")] ??= { stopping: false });
  let inFlight = 0;
  let drained = () => {};
  const server = http.createServer((req, res) => {
    inFlight++;
    res.once("close", () => {
      inFlight--;
      if (inFlight === 0) drained();
    });
    // While draining, each answer closes its connection, so a keep-alive client (the load balancer) moves on.
    if (life.stopping) res.setHeader("connection", "close");
    req.headers["x-obm-client-address"] = clientAddress(req, trustProxy);
    // A path with broken percent-encoding (a stray %) is a page that does not exist: Next would answer 500.
    if (malformedPath(req.url ?? "/")) req.url = "/not-found";
    handle(req, res).catch((err) => {
      process.stderr.write(`request failed: ${err instanceof Error ? err.message : String(err)}\n`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const shown = host === "0.0.0.0" || host === "127.0.0.1" ? "localhost" : host;
  process.stdout.write(`${banner} is ready on http://${shown}:${port}\n`);

  const graceMs = (Number.isFinite(graceSeconds) && graceSeconds >= 0 ? graceSeconds : 20) * 1000;
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) process.exit(1); // a second signal: at once
    stopping = true;
    life.stopping = true;
    process.stdout.write(`${signal}: finishing ${inFlight} request(s) in flight, then stopping\n`);
    server.close();
    server.closeIdleConnections();
    if (inFlight > 0) {
      await new Promise((resolve) => {
        drained = resolve;
        setTimeout(resolve, graceMs).unref();
      });
    }
    if (inFlight > 0) {
      process.stdout.write(
        `${inFlight} request(s) still running after ${graceMs / 1000}s: stopping anyway\n`,
      );
    }
    server.closeAllConnections();
    try {
      await life.shutdown?.();
    } catch (err) {
      process.stderr.write(`shutdown: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  return server;
}
