import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LoadBalancer {
  url: string;
  /** Which upstream (by index) answered each request, in order. */
  served: number[];
  /** Requests that failed on one upstream before any answer and were sent again to the next one. */
  retried: () => number;
  close: () => Promise<void>;
}

/**
 * A small round-robin HTTP load balancer, as nginx or a cloud load balancer would be in front of several
 * app instances: no sticky sessions, X-Forwarded-For set, and a request that fails before any response
 * (connection refused or reset: an instance going away) is sent again to the next instance. A test may
 * pin a request to one instance with the header `x-test-upstream: N` (removed before forwarding).
 */
export async function roundRobin(upstreams: string[], listenPort = 0): Promise<LoadBalancer> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const served: number[] = [];
  let next = 0;
  let retries = 0;

  function forward(
    index: number,
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ res: http.IncomingMessage; index: number }> {
    const target = new URL(upstreams[index]!);
    const headers = { ...req.headers };
    delete headers["x-test-upstream"];
    headers["x-forwarded-for"] = req.socket.remoteAddress ?? "127.0.0.1";
    return new Promise((resolve, reject) => {
      const up = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (res) => resolve({ res, index }),
      );
      up.on("error", reject);
      up.end(body);
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const pinned = req.headers["x-test-upstream"];
      let index = pinned !== undefined ? Number(pinned) : next++ % upstreams.length;
      for (let attempt = 0; attempt < upstreams.length; attempt++) {
        try {
          const { res: upRes, index: used } = await forward(index, req, body);
          served.push(used);
          res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, "x-test-served-by": String(used) });
          upRes.pipe(res);
          return;
        } catch {
          if (pinned !== undefined) break;
          retries++;
          index = (index + 1) % upstreams.length;
        }
      }
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("no upstream answered");
    });
  });
  await new Promise<void>((r) => server.listen(listenPort, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    retried: () => retries,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
