import net from "node:net";

export interface TcpProxy {
  endpoint: string;
  /** How many client connections arrived. */
  connections: () => number;
  /** The raw request bytes clients sent, as text (request lines and headers are what tests look at). */
  requests: () => string;
  close: () => Promise<void>;
}

/** A loopback TCP proxy to `target` (host:port) that records what clients send. */
export async function recordingProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  let count = 0;
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    count++;
    const upstream = net.connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.on("data", (d: Buffer) => chunks.push(d.subarray(0, 4096)));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => count,
    requests: () => Buffer.concat(chunks).toString("latin1"),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The head (request line and headers) of the first recorded request whose line starts with `line`. */
export function requestHead(proxy: TcpProxy, line: string): string {
  const text = proxy.requests();
  const at = text.indexOf(line);
  if (at < 0) return "";
  const end = text.indexOf("\r\n\r\n", at);
  return text.slice(at, end < 0 ? undefined : end);
}
