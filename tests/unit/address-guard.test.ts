import {
  endpointPolicy,
  guardedLookup,
  isPrivateAddress,
  PrivateAddressError,
  refusedEndpointHost,
} from "@/lib/server/s3/address-guard";

const closed = endpointPolicy(false, []);
const open = endpointPolicy(true, []);
const policy = (allowPrivate: boolean) => (allowPrivate ? open : closed);

function lookup(host: string, allowPrivate: boolean | ReturnType<typeof endpointPolicy>): Promise<unknown> {
  const p = typeof allowPrivate === "boolean" ? policy(allowPrivate) : allowPrivate;
  return new Promise((resolve) => {
    guardedLookup(() => p)(host, {}, (err, address) => resolve(err ?? address));
  });
}

describe("SSRF guard: which addresses the server refuses to connect to", () => {
  it.each([
    "http://127.0.0.1:9000",
    "http://[::1]:9000",
    "http://[::ffff:127.0.0.1]",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://169.254.169.254/latest/meta-data",
    "http://10.1.2.3",
    "http://192.168.1.10:9000",
    "http://172.16.5.4",
    "http://100.64.0.1",
    "http://0.0.0.0",
    "http://[fd00::1]",
    "http://[fe80::1]",
    "http://[::ffff:a0a:a0a]",
    "http://[::10.1.2.3]",
    "http://[::a0a:a0a]",
    "http://[64:ff9b::a0a:a0a]",
    "http://[64:ff9b:1::a0a:a0a]",
    "http://[2002:7f00:1::1]",
    "http://[2002:c0a8:101::]",
    "http://[2001:0:808:808::f5ff:fffe]",
  ])("refuses %s when private endpoints are not allowed", (endpoint) => {
    expect(refusedEndpointHost(endpoint, closed)).not.toBeNull();
  });

  it.each([
    "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:a9fe:a9fe]",
    "http://[::169.254.169.254]",
    "http://[64:ff9b::a9fe:a9fe]",
    "http://[64:ff9b:1::a9fe:a9fe]",
    "http://[2002:a9fe:a9fe::1]",
    "http://[fe80::1]",
    "http://[fd00:ec2::254]",
    "http://100.100.100.200",
  ])("refuses link-local and metadata %s even with ALLOW_PRIVATE_ENDPOINTS", (endpoint) => {
    expect(refusedEndpointHost(endpoint, open)).not.toBeNull();
  });

  it("allows what the operator lists, and only that", () => {
    const listed = endpointPolicy(false, [
      "10.20.0.0/16",
      "fd12:3456::/32",
      "minio.lab:9000",
      "ceph.lab",
      "169.254.10.10",
    ]);
    expect(refusedEndpointHost("http://10.20.3.4:9000", listed)).toBeNull();
    expect(refusedEndpointHost("http://10.21.0.1:9000", listed)).not.toBeNull();
    expect(refusedEndpointHost("http://[fd12:3456::9]", listed)).toBeNull();
    expect(refusedEndpointHost("http://[::ffff:10.20.0.9]", listed)).toBeNull();
    expect(refusedEndpointHost("http://169.254.10.10", listed)).toBeNull();
    expect(refusedEndpointHost("http://169.254.169.254", listed)).not.toBeNull();
    expect(refusedEndpointHost("http://minio.lab:9000", listed)).toBeNull();
    expect(refusedEndpointHost("http://minio.lab:9001", listed)).toBe("minio.lab:9001");
    expect(refusedEndpointHost("https://ceph.lab", listed)).toBeNull();
    expect(refusedEndpointHost("http://127.0.0.1:9000", listed)).not.toBeNull();
    expect(refusedEndpointHost("http://127.0.0.1:9000", open)).toBeNull();
  });

  it("judges the addresses a listed host resolves to, refusing metadata ones", async () => {
    const listed = endpointPolicy(false, ["localhost:9000"]);
    expect(await lookup("localhost", listed)).not.toBeInstanceOf(PrivateAddressError);
    expect(await lookup("localhost", closed)).toBeInstanceOf(PrivateAddressError);
  });

  it.each(["https://obs.cn-north-4.myhuaweicloud.com", "https://8.8.8.8", "https://[2001:4860:4860::8888]"])(
    "allows the public endpoint %s",
    (endpoint) => {
      expect(refusedEndpointHost(endpoint, closed)).toBeNull();
    },
  );

  it.each([
    ["127.0.0.1", true],
    ["10.255.255.255", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.0.1", true],
    ["169.254.169.254", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["fc00::1", true],
    ["1.1.1.1", false],
    ["2606:4700:4700::1111", false],
    ["not an ip", true],
  ])("classifies %s as private: %s", (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe("SSRF guard at connect time (name resolution, no traffic)", () => {
  it.each(["localhost", "s3.localhost"])("refuses %s, which always means this machine", async (host) => {
    expect(await lookup(host, false)).toBeInstanceOf(PrivateAddressError);
  });

  it("resolves localhost when private endpoints are allowed", async () => {
    expect(await lookup("localhost", true)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it("refuses an IP literal handed to the lookup", async () => {
    expect(await lookup("127.0.0.1", false)).toBeInstanceOf(PrivateAddressError);
  });
});
