import fs from "node:fs";
import path from "node:path";
import { adminClient, TestClient } from "../helpers/api-client";
import { testS3 } from "../helpers/s3";

interface Conn {
  id: string;
}

async function sealedRows() {
  const { db } = await import("@/lib/server/db");
  return (await db())
    .selectFrom("connections")
    .select(["id", "secret_sealed", "session_token_sealed"])
    .execute();
}

describe("master key rotation (key file mode)", () => {
  let admin: TestClient;
  const ids: string[] = [];

  beforeAll(async () => {
    admin = await adminClient();
    const s3 = testS3();
    for (const name of ["one", "two"]) {
      const r = await admin.post<Conn>("/api/connections", {
        name,
        provider: "s3",
        region: s3.region,
        endpoint: s3.endpoint,
        addressing: "path",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        sessionToken: name === "two" ? "a-session-token" : undefined,
      });
      ids.push(r.body.id);
    }
  });

  it("re-seals every secret under a new key, retires the old key, and the connections still work", async () => {
    const dir = process.env.DATA_DIR!;
    const oldKey = fs.readFileSync(path.join(dir, "master.key"), "utf8");
    const before = await sealedRows();
    const { rotateMasterKey } = await import("@/lib/server/crypto/rotate");

    const r = await rotateMasterKey();
    expect(r).toMatchObject({ mode: "key-file", resealed: 2, total: 2 });
    expect(r.newKeyId).not.toBe(r.oldKeyId);

    const after = await sealedRows();
    for (const row of after) {
      expect(row.secret_sealed.split(".")[1]).toBe(r.newKeyId);
      expect(before.find((b) => b.id === row.id)!.secret_sealed).not.toBe(row.secret_sealed);
    }
    expect(after.find((x) => x.id === ids[1])!.session_token_sealed!.split(".")[1]).toBe(r.newKeyId);
    expect(fs.readFileSync(path.join(dir, "master.key.old"), "utf8")).toBe(oldKey);
    expect(fs.existsSync(path.join(dir, "master.key.next"))).toBe(false);
    expect(fs.statSync(path.join(dir, "master.key")).mode & 0o777).toBe(0o600);

    const test = await admin.post<{ ok: boolean }>(`/api/connections/${ids[0]}/test`, {});
    expect(test.body.ok).toBe(true);
  });

  it("fails closed when the stored secrets were sealed under a key the server no longer has", async () => {
    const dir = process.env.DATA_DIR!;
    const { resetMasterKeyCache } = await import("@/lib/server/crypto/master-key");
    fs.writeFileSync(path.join(dir, "master.key"), `${Buffer.alloc(32, 7).toString("base64")}\n`, {
      mode: 0o600,
    });
    resetMasterKeyCache();
    const r = await admin.post<{ error: { message: string } }>(`/api/connections/${ids[0]}/test`, {});
    expect(r.status).toBe(500);
    expect(r.body.error.message).toMatch(/cannot be decrypted/);
  });

  it("changes nothing when a secret cannot be opened (all or nothing)", async () => {
    const dir = process.env.DATA_DIR!;
    const before = await sealedRows();
    const { rotateMasterKey } = await import("@/lib/server/crypto/rotate");
    await expect(rotateMasterKey()).rejects.toThrow(/not the configured master key/);
    expect(await sealedRows()).toEqual(before);
    // The half-made next key stays for the next attempt; master.key is untouched.
    expect(fs.readFileSync(path.join(dir, "master.key"), "utf8")).toBe(
      `${Buffer.alloc(32, 7).toString("base64")}\n`,
    );
    const { db } = await import("@/lib/server/db");
    await (await db()).deleteFrom("connections").execute();
    fs.rmSync(path.join(dir, "master.key.next"));
  });
});

describe("an interrupted rotation", () => {
  it("still opens every secret with master.key.next present, and a second run finishes the job", async () => {
    const dir = process.env.DATA_DIR!;
    const { resetMasterKeyCache, openingKeys } = await import("@/lib/server/crypto/master-key");
    const { rotateMasterKey } = await import("@/lib/server/crypto/rotate");
    // Start over with a fresh key file and one connection under it.
    fs.rmSync(path.join(dir, "master.key"));
    resetMasterKeyCache();
    const c = await adminClient();
    const s3 = testS3();
    const conn = await c.post<Conn>("/api/connections", {
      name: "interrupted",
      provider: "s3",
      region: s3.region,
      endpoint: s3.endpoint,
      addressing: "path",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    // Simulate a crash after master.key.next was written: the app keeps working.
    fs.writeFileSync(path.join(dir, "master.key.next"), `${Buffer.alloc(32, 9).toString("base64")}\n`, {
      mode: 0o600,
    });
    expect(openingKeys()).toHaveLength(2);
    expect((await c.post<{ ok: boolean }>(`/api/connections/${conn.body.id}/test`, {})).body.ok).toBe(true);
    const r = await rotateMasterKey();
    expect(r.mode).toBe("key-file");
    expect(fs.existsSync(path.join(dir, "master.key.next"))).toBe(false);
    expect((await c.post<{ ok: boolean }>(`/api/connections/${conn.body.id}/test`, {})).body.ok).toBe(true);
  });
});
