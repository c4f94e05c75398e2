import { sdkSigner, signer, contentDisposition, type PresignRequest } from "@/lib/server/s3/presign";
import type { StoreCredentials } from "@/lib/server/s3/client";

// The fast signer must give exactly the SDK's URLs: same host, path, query and signature.
const creds = (over: Partial<StoreCredentials>): StoreCredentials => ({
  provider: "obs",
  region: "cn-north-4",
  endpoint: "https://obs.cn-north-4.myhuaweicloud.com",
  addressing: "virtual",
  accessKeyId: "HPUAEXAMPLE000000001",
  secretAccessKey: "example/secret+key=value",
  ...over,
});

function normalise(url: string) {
  const u = new URL(url);
  const params = [...u.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { origin: u.origin, pathname: u.pathname, params };
}

const signingDate = new Date("2026-11-27T10:00:00Z");
const requests: PresignRequest[] = [
  {
    bucket: "my-data",
    key: "train/img 001.jpg",
    method: "GET",
    expiresIn: 3600,
    signingDate,
    disposition: "attachment",
  },
  {
    bucket: "my-data",
    key: "报告/模型 结果 (v2)!.txt",
    method: "GET",
    expiresIn: 60,
    signingDate,
    disposition: "inline",
  },
  { bucket: "my-data", key: "odd/a+b%c#d?e&f=g'h*~.txt", method: "GET", expiresIn: 604800, signingDate },
  // A version of an object (version ids are opaque and may hold any URL-unsafe character).
  {
    bucket: "my-data",
    key: "models/v.bin",
    method: "GET",
    expiresIn: 900,
    signingDate,
    disposition: "attachment",
    versionId: "3/L4kqtJl+cD=e&x",
  },
  {
    bucket: "my-data",
    key: "incoming/upload.bin",
    method: "PUT",
    expiresIn: 900,
    signingDate,
    contentType: "image/jpeg",
  },
  { bucket: "my-data", key: "incoming/any", method: "PUT", expiresIn: 900, signingDate },
  {
    bucket: "my-data",
    key: "datasets/images 2026/big file.tar",
    method: "PUT",
    expiresIn: 3600,
    signingDate,
    part: { uploadId: "2~AbC+d/eF=gh", partNumber: 9999 },
  },
  // Upload requests: the size an outsider announced is signed.
  {
    bucket: "my-data",
    key: "incoming/vendor/a.jpg",
    method: "PUT",
    expiresIn: 900,
    signingDate,
    contentType: "image/jpeg",
    contentLength: 12345,
  },
  {
    bucket: "my-data",
    key: "incoming/vendor/b",
    method: "PUT",
    expiresIn: 900,
    signingDate,
    contentLength: 0,
  },
  {
    bucket: "my-data",
    key: "incoming/vendor/big.tar",
    method: "PUT",
    expiresIn: 900,
    signingDate,
    part: { uploadId: "2~x", partNumber: 3 },
    contentLength: 8 * 1024 * 1024,
  },
];

describe("the fast presigner gives the SDK's own URLs", () => {
  it.each([
    ["OBS, virtual-hosted", creds({})],
    [
      "path-style with a port",
      creds({ provider: "s3", region: "us-east-1", endpoint: "http://127.0.0.1:9000", addressing: "path" }),
    ],
    [
      "virtual-hosted on a name with a port",
      creds({
        provider: "s3",
        region: "eu-west-1",
        endpoint: "http://s3.localhost:7480",
        addressing: "virtual",
      }),
    ],
    ["with a session token", creds({ sessionToken: "token/with+chars=" })],
  ])("%s", async (_, c) => {
    const fast = signer(c);
    const sdk = sdkSigner(c);
    for (const r of requests) {
      expect(normalise(await fast(r))).toEqual(normalise(await sdk(r)));
    }
  });

  it("names the downloaded file, in UTF-8 and with an ASCII fallback", () => {
    expect(contentDisposition("attachment", "a/b/模型 v2.txt")).toBe(
      `attachment; filename="__ v2.txt"; filename*=UTF-8''%E6%A8%A1%E5%9E%8B%20v2.txt`,
    );
  });
});
