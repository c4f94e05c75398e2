import fs from "node:fs";
import path from "node:path";
import { adminClient, TestClient } from "../helpers/api-client";
import { createTestBucket, removeTestBucket, testS3 } from "../helpers/s3";

// A secret that must never come back out: not in an API response, not in a log line (at debug level), not
// in the database file in clear text.
process.env.LOG_LEVEL = "debug";
const CANARY_SK = "CanarySecretKey-7f3a9c1e5b/do+not=leak";
const CANARY_TOKEN = "CanarySessionToken-2b8d4f6a1c";

const logged: string[] = [];
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);

beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array) => (
    logged.push(String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    logged.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
});
afterAll(() => {
  process.stdout.write = realOut;
  process.stderr.write = realErr;
});

describe("secret keys never leave the server", () => {
  it("is absent from every response, every log line and the database file", async () => {
    const s3 = testS3();
    const bucket = await createTestBucket();
    const admin: TestClient = await adminClient();
    const base = { provider: "s3", region: s3.region, endpoint: s3.endpoint, addressing: "path" } as const;
    try {
      // Wrong-secret path: the canary is the secret, the store refuses it, every message is explained.
      const bad = await admin.post<{ id: string }>("/api/connections", {
        ...base,
        name: "canary",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: CANARY_SK,
        sessionToken: CANARY_TOKEN,
      });
      expect(bad.status).toBe(201);
      await admin.get("/api/connections");
      await admin.get(`/api/connections/${bad.body.id}`);
      expect(
        (await admin.post<{ ok: boolean }>(`/api/connections/${bad.body.id}/test`, { bucket })).body.ok,
      ).toBe(false);
      await admin.patch(`/api/connections/${bad.body.id}`, {
        name: "canary renamed",
        secretAccessKey: `${CANARY_SK}2`,
      });
      await admin.patch(`/api/connections/${bad.body.id}`, { accessKeyId: "OTHERKEY00001" }); // refused: no secret
      await admin.post(`/api/connections/${bad.body.id}/test`, {});

      // Right-secret path: the real key works end to end, including a probe write.
      const good = await admin.post<{ id: string }>("/api/connections", {
        ...base,
        name: "real",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      expect(
        (await admin.post<{ ok: boolean }>(`/api/connections/${good.body.id}/test`, { bucket })).body.ok,
      ).toBe(true);

      // Import path, valid and malformed.
      await admin.post("/api/connections/import", {
        csv: `User Name,Access Key Id,Secret Access Key\nu,${s3.accessKeyId},${CANARY_SK}\n`,
        ...base,
      });
      await admin.post("/api/connections/import", {
        csv: `Access Key Id,Oops\n${s3.accessKeyId},${CANARY_SK}\n`,
        region: "cn-north-4",
      });
      await admin.delete(`/api/connections/${bad.body.id}`);
    } finally {
      await removeTestBucket(bucket);
    }

    const responses = admin.transcript.join("\n");
    const logs = logged.join("");
    expect(logs.length).toBeGreaterThan(0); // debug logging really ran
    const dir = process.env.DATA_DIR!;
    const dbBytes = Buffer.concat(
      ["app.db", "app.db-wal"]
        .filter((f) => fs.existsSync(path.join(dir, f)))
        .map((f) => fs.readFileSync(path.join(dir, f))),
    );
    for (const secret of [CANARY_SK, CANARY_TOKEN, s3.secretAccessKey]) {
      expect(responses).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(dbBytes.includes(Buffer.from(secret))).toBe(false);
    }
  });
});
