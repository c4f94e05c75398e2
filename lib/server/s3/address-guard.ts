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

/**
 * The IPv4 addresses an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
 * NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4 (2002:aabb:ccdd::/48) and Teredo
 * (2001:0::/32: the server, and the client's address inverted). A packet to any of these may reach the IPv4
 * address inside, so each is judged like that address.
 */
function embeddedIpv4(ip: string): string[] {
  const b = ipv6Bytes(ip);
  if (!b) return [];
  const v4 = (bytes: number[]) => bytes.join(".");
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return [v4(b.slice(12))];
  if (zero(0, 12) && !zero(12, 15)) return [v4(b.slice(12))]; // ::a.b.c.d (not :: or ::1)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zero(4, 12)) return [v4(b.slice(12))];
    if (b[4] === 0x00 && b[5] === 0x01) return [v4(b.slice(12))];
  }
  if (b[0] === 0x20 && b[1] === 0x02) return [v4(b.slice(2, 6))];
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) {
    return [v4(b.slice(4, 8)), v4(b.slice(12).map((x) => x ^ 0xff))];
  }
  return [];
}

/** True for loopback, private, link-local, shared, documentation, multicast and reserved addresses. */
export function isPrivateAddress(ip: string): boolean {
  return inList(ip, blocked, true);
}

// Link-local addresses and the cloud metadata services (169.254.169.254 on most clouds, Huawei Cloud
// included; fd00:ec2::254 on AWS; 100.100.100.200 on Alibaba Cloud): refused even where private stores are
// allowed, unless listed by address in PRIVATE_ENDPOINTS_ALLOW.
const alwaysRefused = new net.BlockList();
alwaysRefused.addSubnet("169.254.0.0", 16, "ipv4");
alwaysRefused.addAddress("100.100.100.200", "ipv4");
alwaysRefused.addSubnet("fe80::", 10, "ipv6");
alwaysRefused.addAddress("fd00:ec2::254", "ipv6");

/** Whether `ip`, or an IPv4 address it carries, is in `list`. Not an address at all: `otherwise`. */
function inList(ip: string, list: net.BlockList, otherwise: boolean): boolean {
  const bare = ip.replace(/^\[|\]$/g, "").split("%")[0] ?? "";
  const family = net.isIP(bare);
  if (family === 4) return list.check(bare, "ipv4");
  if (family === 6)
    return list.check(bare, "ipv6") || embeddedIpv4(bare).some((v4) => list.check(v4, "ipv4"));
  return otherwise;
}

/**
 * Which endpoints the server may connect to: public addresses always; private ones when
 * ALLOW_PRIVATE_ENDPOINTS is on, or listed in PRIVATE_ENDPOINTS_ALLOW (CIDRs, addresses, host or host:port);
 * link-local and metadata addresses only when listed by address.
 */
export interface EndpointPolicy {
  allowPrivate: boolean;
  /** Addresses and CIDRs listed by the operator. */
  allowed: net.BlockList;
  /** Host names listed by the operator, with the port when one was given ("minio.lab", "ceph:7480"). */
  hosts: Set<string>;
}

export function endpointPolicy(allowPrivate: boolean, allowList: string[]): EndpointPolicy {
  const allowed = new net.BlockList();
  const hosts = new Set<string>();
  for (const raw of allowList) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [addr = "", bits] = entry.split("/");
    const bare = addr.replace(/^\[|\]$/g, "");
    const family = net.isIP(bare);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (family && bits !== undefined) allowed.addSubnet(bare, Number(bits), type);
    else if (family) allowed.addAddress(bare, type);
    else hosts.add(entry);
  }
  return { allowPrivate, allowed, hosts };
}

/** The address refused under `policy`, or null when it may be connected to. */
export function refusedAddress(address: string, policy: EndpointPolicy): string | null {
  if (inList(address, policy.allowed, false)) return null;
  if (inList(address, alwaysRefused, false)) return address;
  if (!isPrivateAddress(address)) return null;
  return policy.allowPrivate ? null : address;
}

/** Whether a host name (and port) is on the operator's list. */
function hostListed(host: string, port: string, policy: EndpointPolicy): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return policy.hosts.has(h) || (port !== "" && policy.hosts.has(`${h}:${port}`));
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
export function refusedEndpointHost(endpoint: string, policy: EndpointPolicy): string | null {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (net.isIP(host)) return refusedAddress(host, policy);
  // Names are judged by the addresses they resolve to, at connect time (guardedLookup), which does not see
  // the port: a name the operator listed for some ports only is refused here on any other port.
  const h = host.toLowerCase().replace(/\.$/, "");
  const portsOnly = [...policy.hosts].some((e) => e.startsWith(`${h}:`)) && !policy.hosts.has(h);
  return portsOnly && !hostListed(host, port, policy) ? `${host}:${port}` : null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A drop-in for dns.lookup that refuses addresses the policy (read at each call) does not allow. */
export function guardedLookup(policyOf: () => EndpointPolicy) {
  return (
    hostname: string,
    options: dns.LookupOptions | number | LookupCallback,
    cb?: LookupCallback,
  ): void => {
    const callback = (typeof options === "function" ? options : cb) as LookupCallback;
    const opts: dns.LookupOptions =
      typeof options === "object" ? options : typeof options === "number" ? { family: options } : {};
    const policy = policyOf();
    // A host the operator listed (with or without a port) may resolve to any address but the always-refused.
    const listed = [...policy.hosts].some(
      (h) => h === hostname.toLowerCase() || h.startsWith(`${hostname.toLowerCase()}:`),
    );
    if (!policy.allowPrivate && !listed && isLoopbackName(hostname)) {
      // Refused before any resolution: a *.localhost name must not even cause a DNS query.
      process.nextTick(() => callback(new PrivateAddressError(hostname, hostname), []));
      return;
    }
    dns.lookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) =>
        listed
          ? inList(a.address, alwaysRefused, false) && !inList(a.address, policy.allowed, false)
          : refusedAddress(a.address, policy) !== null,
      );
      if (bad) return callback(new PrivateAddressError(hostname, bad.address), []);
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
