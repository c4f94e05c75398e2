// A wide-area link on loopback: a TCP proxy in front of the store that delays every byte by half the
// round-trip time in each direction, caps the bandwidth (one shared link per direction, bytes leave it in
// the order they arrive, as through a router's queue), charges each new connection a round trip for its
// handshake, and can add loss (a late segment: one more round trip for that connection) and resets.
// This kernel has no netem; benchmarks and tests put this between every client (browser, app server,
// CLI) and the store by making it the connection's endpoint.
//
//   node scripts/wan-proxy.mjs --target http://127.0.0.1:7480 --rtt 40 --mbit 200 [--loss 0.001] [--reset 0]
//
// prints {"endpoint": …, "port": …} and runs until stopped (SIGTERM, by its pid); a JSON line on stdin
// ({"rttMs": 80}) changes the link for what follows.
import net from "node:net";
import { fileURLToPath } from "node:url";

/** Bytes a connection may have on the way before its sender is paused (TCP's window, roughly). */
const HIGH_WATER = 1024 * 1024;

/** One direction of the link: a queue that sends `bytesPerSecond` (0: no cap) and arrives `delayMs` later. */
class Link {
  constructor() {
    this.free = 0;
  }
  /** When a chunk of `len` bytes handed over now arrives at the other end. */
  arrival(len, now, o) {
    const start = Math.max(now, this.free);
    const send = o.bytesPerSecond > 0 ? (len * 1000) / o.bytesPerSecond : 0;
    this.free = start + send;
    return this.free + o.rttMs / 2;
  }
}

/**
 * @param {{ target: string, rttMs?: number, mbit?: number, loss?: number, resetRate?: number, host?: string }} o
 */
export async function startWanProxy(o) {
  const { hostname, port } = new URL(o.target);
  const opts = { rttMs: 0, bytesPerSecond: 0, loss: 0, resetRate: 0 };
  const set = (x) => {
    if (x.rttMs !== undefined) opts.rttMs = x.rttMs;
    if (x.mbit !== undefined) opts.bytesPerSecond = (x.mbit * 1e6) / 8;
    if (x.loss !== undefined) opts.loss = x.loss;
    if (x.resetRate !== undefined) opts.resetRate = x.resetRate;
  };
  set(o);
  const up = new Link();
  const down = new Link();
  const sockets = new Set();
  const counts = { connections: 0, bytesUp: 0, bytesDown: 0, lost: 0, resets: 0 };
  // Requests by method, read from the request line at the start of a chunk (plain HTTP/1.1 only: a TLS
  // or HTTP/2 stream shows none): what a client chose to send, for the bench to print.
  const methods = {};

  const server = net.createServer((client) => {
    counts.connections++;
    const upstream = net.connect(Number(port), hostname);
    // The handshake: what the client sends first arrives one round trip (SYN, SYN-ACK) and half a round
    // trip after it connected, as over a real link.
    const opened = Date.now() + opts.rttMs;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    const pipe = (from, to, link, counter) => {
      // One queue and one timer per direction of a connection: bytes leave in the order they came (timers
      // of different delays due in the same millisecond may fire in any order).
      const queue = [];
      let queued = 0;
      let last = 0;
      let timer = null;
      let ended = false;
      const flush = () => {
        timer = null;
        const now = Date.now();
        while (queue.length > 0 && queue[0].at <= now) {
          const { chunk } = queue.shift();
          queued -= chunk.length;
          if (!to.destroyed) to.write(chunk);
        }
        if (queued <= HIGH_WATER / 2 && from.isPaused()) from.resume();
        if (queue.length > 0) timer = setTimeout(flush, queue[0].at - now);
        else if (ended && !to.destroyed) to.end();
      };
      from.on("data", (chunk) => {
        if (opts.resetRate > 0 && Math.random() < opts.resetRate) {
          counts.resets++;
          if (client.resetAndDestroy) client.resetAndDestroy();
          else client.destroy();
          upstream.destroy();
          return;
        }
        if (from === client) {
          const m = /^(GET|PUT|POST|HEAD|DELETE|OPTIONS) /.exec(chunk.subarray(0, 8).toString("latin1"));
          if (m) methods[m[1]] = (methods[m[1]] ?? 0) + 1;
        }
        const now = Date.now();
        let at = Math.max(
          link.arrival(chunk.length, now, opts),
          from === client ? opened + opts.rttMs / 2 : 0,
          last,
        );
        if (opts.loss > 0 && Math.random() < opts.loss) {
          counts.lost++;
          at += opts.rttMs;
        }
        last = at;
        queue.push({ chunk, at });
        queued += chunk.length;
        counts[counter] += chunk.length;
        if (queued > HIGH_WATER) from.pause();
        timer ??= setTimeout(flush, Math.max(0, queue[0].at - now));
      });
      // The end travels behind the last byte.
      from.on("end", () => {
        ended = true;
        timer ??= setTimeout(flush, 0);
      });
    };
    pipe(client, upstream, up, "bytesUp");
    pipe(upstream, client, down, "bytesDown");
    client.on("close", () => setTimeout(() => upstream.destroy(), opts.rttMs));
    upstream.on("close", () => setTimeout(() => client.destroy(), opts.rttMs));
  });
  await new Promise((r) => server.listen(0, o.host ?? "127.0.0.1", r));
  const listenPort = server.address().port;
  return {
    endpoint: `http://${o.host ?? "127.0.0.1"}:${listenPort}`,
    port: listenPort,
    pid: process.pid,
    /** Changes the link for new bytes (rttMs, mbit, loss, resetRate). */
    set,
    stats: () => ({ ...counts, methods: { ...methods } }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const target = arg("target");
  if (!target) {
    process.stderr.write(
      "usage: wan-proxy.mjs --target http://host:port [--rtt ms] [--mbit n] [--loss p] [--reset p]\n",
    );
    process.exit(2);
  }
  const proxy = await startWanProxy({
    target,
    rttMs: Number(arg("rtt", 0)),
    mbit: Number(arg("mbit", 0)),
    loss: Number(arg("loss", 0)),
    resetRate: Number(arg("reset", 0)),
  });
  process.stdout.write(
    `${JSON.stringify({ endpoint: proxy.endpoint, port: proxy.port, pid: process.pid })}\n`,
  );
  // A line of JSON on stdin changes the link ({"rttMs": 20, "mbit": 100}); the answer is "ok". The line
  // {"stats": true} is answered with the counts so far, as one line of JSON.
  let buffered = "";
  process.stdin.on("data", (d) => {
    buffered += d;
    for (let i = buffered.indexOf("\n"); i >= 0; i = buffered.indexOf("\n")) {
      const line = buffered.slice(0, i).trim();
      buffered = buffered.slice(i + 1);
      const o = line ? JSON.parse(line) : {};
      if (o.stats) {
        process.stdout.write(`${JSON.stringify(proxy.stats())}\n`);
        continue;
      }
      proxy.set(o);
      process.stdout.write("ok\n");
    }
  });
  process.on("SIGTERM", () => void proxy.close().then(() => process.exit(0)));
}
