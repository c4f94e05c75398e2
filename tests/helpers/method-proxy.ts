import http from "node:http";
import type net from "node:net";

// An HTTP proxy in front of the store that answers some methods itself (a store or gateway that does not
// take browser POST forms: 403, 405 or 501) and passes everything else on unchanged, CORS included, so a
// browser sees the refusal as it would from such a store. It also counts the browser's requests (those with
// an Origin header) that were in the store's hands at once: what actually crossed the wire concurrently,
// which a browser's own request events cannot tell (they include requests queued in the browser).

export interface MethodProxy {
  endpoint: string;
  /** Requests answered by the proxy itself. */
  refused: () => number;
  /** The most requests from a browser that were being handled at the same time. */
  mostInFlight: () => number;
  close: () => Promise<void>;
}

export async function refusingProxy(
  target: string,
  refuse: { method: string; status: number } | null,
): Promise<MethodProxy> {
  const to = new URL(target);
  let refused = 0;
  let inFlight = 0;
  let most = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    if (req.headers.origin && req.method !== "OPTIONS") {
      most = Math.max(most, ++inFlight);
      res.once("close", () => inFlight--);
    }
    if (refuse && req.method === refuse.method) {
      refused++;
      req.resume();
      const origin = req.headers.origin;
      res.writeHead(refuse.status, {
        "content-type": "application/xml",
        ...(origin ? { "access-control-allow-origin": origin } : {}),
      });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>MethodNotAllowed</Code><Message>refused by the test proxy</Message></Error>`,
      );
      return;
    }
    const up = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    refused: () => refused,
    mostInFlight: () => most,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The same proxy refusing nothing: it only counts what was in flight. */
export const countingProxy = (target: string) => refusingProxy(target, null);
