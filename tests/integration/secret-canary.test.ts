import fs from "node:fs";
import path from "node:path";
import { adminClient, TestClient, userClient } from "../helpers/api-client";
import { share, userIdOf } from "../helpers/sharing";
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
    let memberResponses = "";
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

      // A grantee works with the shared key (lists, uploads, links, errors, a refusal) and the key's
      // secret reaches none of their responses. (A link signed with a temporary credential carries its
      // security token by design: that is how S3 presigned URLs work, and the README says so.)
      const member = await userClient(admin, "canary-member");
      const memberId = await userIdOf(admin, "canary-member");
      for (const id of [good.body.id, bad.body.id]) {
        await share(admin, id, { type: "user", id: memberId }, "uploader", [{ bucket, prefix: "in/" }]);
        await member.get("/api/connections");
        await member.get(`/api/connections/${id}`);
        await member.get(`/api/buckets?connection=${id}`);
        await member.get(`/api/buckets/${bucket}/objects?connection=${id}&prefix=in/`);
        await member.post(`/api/buckets/${bucket}/uploads?connection=${id}`, {
          files: [
            { key: "in/a.bin", size: 1 },
            { key: "in/big.bin", size: 64 * 1024 * 1024 },
          ],
        });
        await member.post(`/api/buckets/${bucket}/presign?connection=${id}`, {
          key: "in/a.bin",
          method: "PUT",
          expiresIn: 60,
        });
        await member.get(`/api/buckets/${bucket}/objects?connection=${id}&prefix=out/`);
        await member.post(`/api/connections/${id}/test`, {});
      }
      memberResponses = member.transcript.join("\n");

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
    expect(memberResponses.length).toBeGreaterThan(1000);
    for (const secret of [CANARY_SK, s3.secretAccessKey]) expect(memberResponses).not.toContain(secret);
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
