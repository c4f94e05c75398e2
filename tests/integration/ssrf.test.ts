import { adminClient } from "../helpers/api-client";
import { testS3 } from "../helpers/s3";

// With private endpoints not allowed (the default), the server must not connect to the loopback RGW, even
// through a host name: the check holds when the connection is opened, not only when the form is saved.
process.env.ALLOW_PRIVATE_ENDPOINTS = "false";

describe("SSRF guard with private endpoints not allowed", () => {
  it("refuses an IP-literal loopback endpoint when it is saved", async () => {
    const admin = await adminClient();
    const s3 = testS3();
    const r = await admin.post<{ error: { message: string } }>("/api/connections", {
      name: "loopback ip",
      provider: "s3",
      region: s3.region,
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^endpoint: 127\.0\.0\.1 is a private or loopback address/);
  });

  it("refuses the loopback RGW at connect time when reached through a host name", async () => {
    const admin = await adminClient();
    const s3 = testS3();
    const created = await admin.post<{ id: string }>("/api/connections", {
      name: "loopback name",
      provider: "s3",
      region: s3.region,
      endpoint: `http://localhost:${s3.port}`,
      addressing: "path",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    expect(created.status).toBe(201);
    const r = await admin.post<{ ok: boolean; code: string; message: string }>(
      `/api/connections/${created.body.id}/test`,
      {},
    );
    expect(r.body).toMatchObject({ ok: false, code: "PrivateEndpoint" });
    expect(r.body.message).toMatch(/private or loopback address.*PRIVATE_ENDPOINTS_ALLOW/);
  });
});
