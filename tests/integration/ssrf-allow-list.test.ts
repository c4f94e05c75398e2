import { adminClient, type TestClient } from "../helpers/api-client";
import { testS3 } from "../helpers/s3";

// Private stores allowed one by one (PRIVATE_ENDPOINTS_ALLOW), with ALLOW_PRIVATE_ENDPOINTS off: the test
// RGW listed by address and by host:port works; anything else private, and the metadata address even when
// listed as part of a range, stays refused.
const s3 = testS3();
process.env.ALLOW_PRIVATE_ENDPOINTS = "false";
process.env.PRIVATE_ENDPOINTS_ALLOW = `127.0.0.1/32, localhost:${s3.port}`;

let admin: TestClient;
beforeAll(async () => {
  admin = await adminClient();
});

async function connect(endpoint: string) {
  return admin.post<{ id: string; error?: { message: string } }>("/api/connections", {
    name: `c-${Math.random().toString(36).slice(2)}`,
    provider: "s3",
    region: s3.region,
    endpoint,
    addressing: "path",
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
}

describe("an allow-list of private stores", () => {
  it("lets the listed store in, by address and by host:port", async () => {
    for (const endpoint of [s3.endpoint, `http://localhost:${s3.port}`]) {
      const c = await connect(endpoint);
      expect(c.status).toBe(201);
      const t = await admin.post<{ ok: boolean; code: string | null }>(
        `/api/connections/${c.body.id}/test`,
        {},
      );
      // It reached the store (RGW may answer a bare "localhost" host as a bucket name): not refused here.
      expect({ endpoint, code: t.body.code }).not.toEqual({ endpoint, code: "PrivateEndpoint" });
      if (endpoint === s3.endpoint) expect(t.body.ok).toBe(true);
    }
  });

  it("keeps everything else private refused", async () => {
    expect((await connect("http://10.1.2.3:9000")).status).toBe(400);
    expect((await connect("http://169.254.169.254")).status).toBe(400);
    const other = await connect(`http://localhost:${s3.port + 1}`);
    expect(other.status).toBe(400);
    expect(other.body.error?.message).toMatch(/localhost:\d+ is a private or loopback address/);
  });
});
