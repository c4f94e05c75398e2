import { adminClient, TestClient, userClient } from "../helpers/api-client";
import { blackHole, closedPort, createTestBucket, listKeys, removeTestBucket, testS3 } from "../helpers/s3";

process.env.S3_CONNECT_TIMEOUT_SECONDS = "2";
process.env.S3_REQUEST_TIMEOUT_SECONDS = "2";
jest.setTimeout(30_000);

interface Conn {
  id: string;
  name: string;
  accessKeyIdMasked: string;
  hasSecret: boolean;
  isDefault: boolean;
  endpoint: string;
  addressing: string;
}
interface TestResult {
  ok: boolean;
  code: string | null;
  message: string;
  steps: { step: string; ok: boolean; code: string | null }[];
}

const s3 = () => testS3();
const rgwConnection = (over: Record<string, unknown> = {}) => ({
  name: "Local RGW",
  provider: "s3",
  region: s3().region,
  endpoint: s3().endpoint,
  addressing: "path",
  accessKeyId: s3().accessKeyId,
  secretAccessKey: s3().secretAccessKey,
  ...over,
});

describe("connections against a real S3 server (Ceph RGW)", () => {
  let admin: TestClient;
  let bucket: string;

  beforeAll(async () => {
    admin = await adminClient();
    bucket = await createTestBucket();
  });

  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  it("stores a connection and answers with a masked key id and no secret", async () => {
    const r = await admin.post<Conn>("/api/connections", rgwConnection());
    expect(r.status).toBe(201);
    expect(r.body.hasSecret).toBe(true);
    expect(r.body.accessKeyIdMasked).toBe(`${s3().accessKeyId.slice(0, 4)}…${s3().accessKeyId.slice(-4)}`);
    expect(JSON.stringify(r.body)).not.toContain(s3().secretAccessKey);
    expect(JSON.stringify(r.body)).not.toContain(s3().accessKeyId);
    expect(r.body.isDefault).toBe(true);
    const list = await admin.get<{ connections: Conn[] }>("/api/connections");
    expect(list.body.connections.map((c) => c.id)).toEqual([r.body.id]);
  });

  it("tests right keys OK: lists buckets, then writes and deletes a probe object in a named bucket", async () => {
    const conn = (await admin.post<Conn>("/api/connections", rgwConnection({ name: "probe" }))).body;
    const plain = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, {});
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ ok: true, code: null, steps: [{ step: "list-buckets", ok: true }] });

    const withBucket = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, { bucket });
    expect(withBucket.body.ok).toBe(true);
    expect(withBucket.body.steps.map((s) => [s.step, s.ok])).toEqual([
      ["list-buckets", true],
      ["put-object", true],
      ["delete-object", true],
    ]);
    expect(await listKeys(bucket)).toEqual([]); // the probe is gone
    const stored = await admin.get<Conn & { lastTest: TestResult }>(`/api/connections/${conn.id}`);
    expect(stored.body.lastTest.ok).toBe(true);
  });

  it("explains a wrong secret", async () => {
    const conn = (
      await admin.post<Conn>(
        "/api/connections",
        rgwConnection({ name: "wrong secret", secretAccessKey: "not-the-secret" }),
      )
    ).body;
    const r = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, {});
    expect(r.body).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
    expect(r.body.message).toMatch(/secret access key does not match/);
  });

  it("explains an unknown access key, differently", async () => {
    const conn = (
      await admin.post<Conn>(
        "/api/connections",
        rgwConnection({ name: "unknown key", accessKeyId: "NOSUCHKEY0000000000X" }),
      )
    ).body;
    const r = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, {});
    expect(r.body).toMatchObject({ ok: false, code: "InvalidAccessKeyId" });
    expect(r.body.message).toMatch(/does not know this access key ID/);
  });

  it("explains a bucket it cannot write to", async () => {
    const conn = (await admin.post<Conn>("/api/connections", rgwConnection({ name: "no bucket" }))).body;
    const r = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, {
      bucket: "no-such-bucket-here",
    });
    expect(r.body).toMatchObject({ ok: false, code: "NoSuchBucket" });
    expect(r.body.steps.map((s) => [s.step, s.ok])).toEqual([
      ["list-buckets", true],
      ["put-object", false],
    ]);
  });

  it("fails fast with a clear message when the endpoint refuses connections", async () => {
    const conn = (
      await admin.post<Conn>(
        "/api/connections",
        rgwConnection({ name: "refused", endpoint: await closedPort() }),
      )
    ).body;
    const r = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, {});
    expect(r.body).toMatchObject({ ok: false, code: "ECONNREFUSED" });
    expect(r.body.message).toMatch(/Nothing answers at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it("gives up on an endpoint that never answers, within the request timeout, with a clear message", async () => {
    const hole = await blackHole();
    try {
      const conn = (
        await admin.post<Conn>(
          "/api/connections",
          rgwConnection({ name: "black hole", endpoint: hole.endpoint }),
        )
      ).body;
      const r = await admin.post<TestResult>(`/api/connections/${conn.id}/test`, {});
      expect(r.body).toMatchObject({ ok: false, code: "Timeout" });
      expect(r.body.message).toMatch(/did not answer in time/);
    } finally {
      await hole.close();
    }
  });

  it("keeps each user's connections their own (404 for another user's id)", async () => {
    const mine = (await admin.post<Conn>("/api/connections", rgwConnection({ name: "admin only" }))).body;
    const eve = await userClient(admin, "eve");
    expect((await eve.get<{ connections: Conn[] }>("/api/connections")).body.connections).toEqual([]);
    expect((await eve.get(`/api/connections/${mine.id}`)).status).toBe(404);
    expect((await eve.patch(`/api/connections/${mine.id}`, { name: "stolen" })).status).toBe(404);
    expect((await eve.post(`/api/connections/${mine.id}/test`, {})).status).toBe(404);
    expect((await eve.delete(`/api/connections/${mine.id}`)).status).toBe(404);
    expect((await admin.get<Conn>(`/api/connections/${mine.id}`)).body.name).toBe("admin only");
  });

  it.each([
    [{ endpoint: undefined }, "endpoint: is required for an S3-compatible store"],
    [{ accessKeyId: "has space" }, /^accessKeyId: may contain only/],
    [{ secretAccessKey: "" }, "secretAccessKey: is required"],
    [{ provider: "gcs" }, /^provider: /],
    [{ endpoint: "ftp://x" }, /^endpoint: must be an http\(s\) URL/],
    [{ region: "CN North 4" }, /^region: may contain only/],
  ])("refuses %j naming the field and the rule, and stores nothing", async (over, message) => {
    const before = (await admin.get<{ connections: Conn[] }>("/api/connections")).body.connections.length;
    const r = await admin.post<{ error: { message: string } }>(
      "/api/connections",
      rgwConnection({ name: "bad", ...over }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toEqual(
      typeof message === "string" ? message : expect.stringMatching(message),
    );
    expect((await admin.get<{ connections: Conn[] }>("/api/connections")).body.connections).toHaveLength(
      before,
    );
  });

  it("fills in the OBS endpoint and virtual-hosted addressing from the region", async () => {
    const r = await admin.post<Conn>("/api/connections", {
      name: "obs beijing",
      provider: "obs",
      region: "cn-north-4",
      accessKeyId: "HPUAEXAMPLE000000001",
      secretAccessKey: "example-secret",
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      endpoint: "https://obs.cn-north-4.myhuaweicloud.com",
      addressing: "virtual",
    });
    const moved = await admin.patch<Conn>(`/api/connections/${r.body.id}`, { region: "eu-west-101" });
    expect(moved.body.endpoint).toBe("https://obs.eu-west-101.myhuaweicloud.eu");
  });

  it("refuses a duplicate name, and requires the secret again when the key id changes", async () => {
    const a = (await admin.post<Conn>("/api/connections", rgwConnection({ name: "dup" }))).body;
    expect((await admin.post("/api/connections", rgwConnection({ name: "DUP" }))).status).toBe(409);
    const r = await admin.patch<{ error: { message: string } }>(`/api/connections/${a.id}`, {
      accessKeyId: "OTHERKEY123",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("secretAccessKey: is required when the access key ID changes");
    const renamed = await admin.patch<Conn>(`/api/connections/${a.id}`, { name: "renamed" });
    expect(renamed.body.name).toBe("renamed");
    // Still works after an edit that did not touch the secret.
    expect((await admin.post<TestResult>(`/api/connections/${a.id}/test`, {})).body.ok).toBe(true);
  });

  it("keeps exactly one default, and passes it on when the default is deleted", async () => {
    const c = await userClient(admin, "dora");
    const first = (await c.post<Conn>("/api/connections", rgwConnection({ name: "one" }))).body;
    const second = (await c.post<Conn>("/api/connections", rgwConnection({ name: "two" }))).body;
    expect(first.isDefault).toBe(true);
    expect(second.isDefault).toBe(false);
    await c.patch(`/api/connections/${second.id}`, { isDefault: true });
    let list = (await c.get<{ connections: Conn[] }>("/api/connections")).body.connections;
    expect(list.filter((x) => x.isDefault).map((x) => x.id)).toEqual([second.id]);
    expect((await c.delete(`/api/connections/${second.id}`)).status).toBe(200);
    list = (await c.get<{ connections: Conn[] }>("/api/connections")).body.connections;
    expect(list.map((x) => [x.id, x.isDefault])).toEqual([[first.id, true]]);
  });
});
