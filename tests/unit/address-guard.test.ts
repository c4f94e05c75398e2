import {
  guardedLookup,
  isPrivateAddress,
  PrivateAddressError,
  refusedEndpointHost,
} from "@/lib/server/s3/address-guard";

function lookup(host: string, allowPrivate: boolean): Promise<unknown> {
  return new Promise((resolve) => {
    guardedLookup(() => allowPrivate)(host, {}, (err, address) => resolve(err ?? address));
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
    "http://[::ffff:a9fe:a9fe]",
    "http://[64:ff9b::a9fe:a9fe]",
  ])("refuses %s when private endpoints are not allowed", (endpoint) => {
    expect(refusedEndpointHost(endpoint, false)).not.toBeNull();
    expect(refusedEndpointHost(endpoint, true)).toBeNull();
  });

  it.each(["https://obs.cn-north-4.myhuaweicloud.com", "https://8.8.8.8", "https://[2001:4860:4860::8888]"])(
    "allows the public endpoint %s",
    (endpoint) => {
      expect(refusedEndpointHost(endpoint, false)).toBeNull();
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
