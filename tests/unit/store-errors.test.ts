import { PrivateAddressError } from "@/lib/server/s3/address-guard";
import { storeError } from "@/lib/server/s3/errors";

const ctx = { endpoint: "https://obs.cn-north-4.myhuaweicloud.com", region: "cn-north-4", bucket: "data" };
const sdkError = (name: string, status: number) =>
  Object.assign(new Error(""), { name, $metadata: { httpStatusCode: status } });

describe("store errors become messages a person can act on", () => {
  it.each([
    ["InvalidAccessKeyId", 403, /does not know this access key ID/],
    ["SignatureDoesNotMatch", 403, /secret access key does not match/],
    ["RequestTimeTooSkewed", 403, /clock differs .* more than 15 minutes/],
    ["VirtualHostDomainRequired", 403, /set addressing to virtual-hosted/],
    ["AccessDenied", 403, /not allowed to do this on bucket data/],
    ["NoSuchBucket", 404, /Bucket data does not exist/],
    ["PermanentRedirect", 301, /in another region than cn-north-4/],
    ["AuthorizationHeaderMalformed", 400, /expects another region than cn-north-4/],
    ["MethodNotAllowed", 405, /not offered in this region/],
    ["ExpiredToken", 400, /temporary credential has expired/],
  ])("%s", (name, status, message) => {
    const e = storeError(sdkError(name, status), ctx);
    expect(e.message).toMatch(message);
    expect(e.details).toMatchObject({ storeCode: name, storeStatus: status });
  });

  it("names a bare HTTP 405 (no error body) as not offered here", () => {
    const e = storeError(sdkError("UnknownError", 405), ctx);
    expect(e.details?.storeCode).toBe("MethodNotAllowed");
  });

  it("explains network failures by their code", () => {
    expect(storeError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), ctx).message).toMatch(
      /connection refused/,
    );
    expect(storeError(Object.assign(new Error("x"), { name: "TimeoutError" }), ctx).message).toMatch(
      /did not answer in time/,
    );
    expect(storeError(new PrivateAddressError("internal.example", "10.0.0.5"), ctx).details?.storeCode).toBe(
      "PrivateEndpoint",
    );
  });

  it("warns about dotted bucket names when the certificate does not match", () => {
    const e = storeError(Object.assign(new Error("x"), { code: "ERR_TLS_CERT_ALTNAME_INVALID" }), {
      ...ctx,
      bucket: "my.data",
    });
    expect(e.message).toMatch(/bucket names with dots break virtual-hosted HTTPS/);
  });

  it("never echoes a secret that an SDK message might contain", () => {
    const e = storeError(
      Object.assign(new Error("secret=abc123"), { name: "Weird", $metadata: { httpStatusCode: 400 } }),
      ctx,
    );
    expect(e.message).not.toContain("abc123");
  });
});
