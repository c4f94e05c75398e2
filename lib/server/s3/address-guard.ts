import "server-only";
import dns from "node:dns";
import net from "node:net";

// The server connects to whatever endpoint a user types, so without this guard any user could make it
// reach the cloud metadata service (169.254.169.254) or services on its private network. The decision is
// made on the resolved address at connect time (a DNS name that resolves to 10.x is refused too), and on
// the literal address for IP endpoints, which Node connects to without a lookup.

const V4_PRIVATE: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];
const V6_PRIVATE: [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
];

const blocked = new net.BlockList();
for (const [a, p] of V4_PRIVATE) blocked.addSubnet(a, p, "ipv4");
for (const [a, p] of V6_PRIVATE) blocked.addSubnet(a, p, "ipv6");

/** 16 bytes of an IPv6 address (with :: and an embedded dotted IPv4 handled). */
function ipv6Bytes(ip: string): number[] | null {
  let s = ip.replace(/^\[|\]$/g, "").split("%")[0] ?? "";
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4?.[1]) {
    const parts = v4[1].split(".").map(Number);
    s =
      s.slice(0, -v4[1].length) +
      `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head = "", tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address hidden in an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 IPv6 address. */
function embeddedIpv4(ip: string): string | null {
  const b = ipv6Bytes(ip);
  if (!b) return null;
  const prefix = b.slice(0, 12);
  const mapped = prefix.slice(0, 10).every((x) => x === 0) && prefix[10] === 0xff && prefix[11] === 0xff;
  const nat64 =
    b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0);
  return mapped || nat64 ? b.slice(12).join(".") : null;
}

/** True for loopback, private, link-local, shared, documentation, multicast and reserved addresses. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "");
  const family = net.isIP(bare);
  if (family === 4) return blocked.check(bare, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(bare.split("%")[0] ?? bare, "ipv6");
  }
  return true; // not an address at all: refuse rather than guess
}

/** Names that always mean this machine (RFC 6761), whatever DNS says. */
export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
}

export class PrivateAddressError extends Error {
  readonly code = "EPRIVATEADDRESS";
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private or loopback address`);
    this.name = "PrivateAddressError";
  }
}

/**
 * Checks an endpoint whose host is an IP literal (including forms such as 2130706433 or ::ffff:127.0.0.1,
 * which URL parsing normalises): Node connects to those without a lookup, so `guardedLookup` never sees
 * them. Host names, localhost included, are judged at connect time by `guardedLookup`. Returns the refused
 * address, or null when allowed.
 */
export function refusedEndpointHost(endpoint: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  return net.isIP(host) && isPrivateAddress(host) ? host : null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A drop-in for dns.lookup that refuses private addresses unless allowed (read at each call). */
export function guardedLookup(allowPrivate: () => boolean) {
  return (
    hostname: string,
    options: dns.LookupOptions | number | LookupCallback,
    cb?: LookupCallback,
  ): void => {
    const callback = (typeof options === "function" ? options : cb) as LookupCallback;
    const opts: dns.LookupOptions =
      typeof options === "object" ? options : typeof options === "number" ? { family: options } : {};
    if (!allowPrivate() && isLoopbackName(hostname)) {
      // Refused before any resolution: a *.localhost name must not even cause a DNS query.
      process.nextTick(() => callback(new PrivateAddressError(hostname, hostname), []));
      return;
    }
    dns.lookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!allowPrivate()) {
        const bad = addresses.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(new PrivateAddressError(hostname, bad.address), []);
      }
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
