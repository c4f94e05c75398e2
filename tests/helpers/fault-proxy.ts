import net from "node:net";

// A loopback TCP proxy in front of the store that misbehaves on demand: connections reset at once, cut
// after a random number of request bytes, gone silent (held open, nothing passed either way), refused while
// "down", and a bandwidth limit to stretch an upload out. Browsers see the same network errors as on a bad
// line.

export interface FaultOptions {
  /** Share of new connections (0–1) that are reset when they open. */
  resetRate?: number;
  /** Share of new connections (0–1) cut after a random number of request bytes (up to `cutWithin`). */
  cutRate?: number;
  cutWithin?: number;
  /** Every n-th new connection is cut (deterministic, on top of cutRate). */
  cutEvery?: number;
  /** The first n connections after this setting are cut (so a short upload still meets faults). */
  cutFirst?: number;
  /**
   * The first n connections after this setting whose request bytes pass `stallAfter` (default 0) go silent:
   * held open, nothing passed on either way, as a dropped NAT entry does. A threshold above the size of API
   * calls picks the uploads' own connections.
   */
  stallFirst?: number;
  stallAfter?: number;
  /** Request bytes per second over all connections; 0 for no limit. */
  bytesPerSecond?: number;
  /** Every connection is reset: the store is down. */
  down?: boolean;
}

export interface FaultProxy {
  endpoint: string;
  set: (o: FaultOptions) => void;
  /** Connections reset or cut so far. */
  faults: () => number;
  /** Connections that went silent so far. */
  stalls: () => number;
  /** Request bytes passed on to the store. */
  bytesUp: () => number;
  /** Cuts every open connection, losing what it still holds (a line that goes down for a moment). */
  dropAll: () => void;
  close: () => Promise<void>;
}

export async function faultProxy(target: string, initial: FaultOptions = {}): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  let opts: FaultOptions = initial;
  let faults = 0;
  let stalls = 0;
  let stallsBefore = 0;
  let accepted = 0;
  let since = 0;
  let up = 0;
  // A shared token bucket for the bandwidth limit.
  let allowance = 0;
  let last = Date.now();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    if (opts.down || Math.random() < (opts.resetRate ?? 0)) {
      faults++;
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const cut =
      Math.random() < (opts.cutRate ?? 0) ||
      (opts.cutEvery !== undefined && accepted % opts.cutEvery === 0) ||
      accepted - since <= (opts.cutFirst ?? 0);
    const cutAt = cut ? Math.floor(Math.random() * (opts.cutWithin ?? 1 << 20)) : -1;
    let silent = false;
    let seen = 0;
    const upstream = net.connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => undefined);
    client.on("close", () => upstream.destroy());
    upstream.pipe(client);
    client.on("data", (d: Buffer) => {
      if (silent) return;
      if (
        cutAt < 0 &&
        stalls - stallsBefore < (opts.stallFirst ?? 0) &&
        seen + d.length > (opts.stallAfter ?? 0)
      ) {
        stalls++;
        silent = true;
        upstream.unpipe(client);
        client.pause(); // the sender's window fills up and its bytes stop moving
        return;
      }
      seen += d.length;
      if (cutAt >= 0 && seen > cutAt) {
        faults++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      up += d.length;
      upstream.write(d);
      const rate = opts.bytesPerSecond ?? 0;
      if (rate > 0) {
        const now = Date.now();
        allowance = Math.min(rate, allowance + ((now - last) / 1000) * rate) - d.length;
        last = now;
        if (allowance < 0) {
          client.pause();
          setTimeout(() => client.resume(), (-allowance / rate) * 1000);
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    set: (o) => {
      opts = o;
      since = accepted;
      stallsBefore = stalls;
    },
    faults: () => faults,
    stalls: () => stalls,
    bytesUp: () => up,
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A plain counting proxy (in front of the app): how many request bytes the app received. */
export async function countingProxy(target: string) {
  return faultProxy(target);
}
