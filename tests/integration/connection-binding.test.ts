import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { testS3 } from "../helpers/s3";

// A stored secret goes only to the endpoint its owner gave it: changing the endpoint takes the secret again,
// and the sealed secret is bound to the endpoint, so pointing the row elsewhere in the database breaks it.

let admin: TestClient;
let id: string;

beforeAll(async () => {
  admin = await adminClient();
  id = await addRgwConnection(admin);
});

describe("the secret is bound to its endpoint", () => {
  it("changing the endpoint requires the secret again, and changes nothing without it", async () => {
    const r = await admin.patch<{ error: { message: string } }>(`/api/connections/${id}`, {
      endpoint: "http://127.0.0.1:1",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^secretAccessKey: is required when the endpoint changes/);
    const same = await admin.get<{ endpoint: string }>(`/api/connections/${id}`);
    expect(same.body.endpoint).toBe(testS3().endpoint);
  });

  it("with the secret, the endpoint changes and the key still works where it points", async () => {
    const s3 = testS3();
    const moved = await admin.patch(`/api/connections/${id}`, {
      endpoint: s3.endpoint.replace("127.0.0.1", "localhost"),
      secretAccessKey: s3.secretAccessKey,
    });
    expect(moved.status).toBe(200);
    const back = await admin.patch(`/api/connections/${id}`, {
      endpoint: s3.endpoint,
      secretAccessKey: s3.secretAccessKey,
    });
    expect(back.status).toBe(200);
    expect((await admin.post<{ ok: boolean }>(`/api/connections/${id}/test`, {})).body.ok).toBe(true);
  });

  it("a row pointed at another endpoint in the database no longer opens", async () => {
    const { db } = await import("@/lib/server/db");
    await (
      await db()
    )
      .updateTable("connections")
      .set({ endpoint: "http://127.0.0.1:2" })
      .where("id", "=", id)
      .execute();
    const r = await admin.post<{ error: { message: string } }>(`/api/connections/${id}/test`, {});
    expect(r.status).toBe(500);
    expect(r.body.error.message).toMatch(/cannot be decrypted/);
  });

  it("rows sealed before the endpoint was bound are bound at start", async () => {
    const { db } = await import("@/lib/server/db");
    const { associatedData, seal } = await import("@/lib/server/crypto/secret-box");
    const { masterKey } = await import("@/lib/server/crypto/master-key");
    const s3 = testS3();
    const old = await addRgwConnection(admin, { name: "from before" });
    const row = await (
      await db()
    )
      .selectFrom("connections")
      .selectAll()
      .where("id", "=", old)
      .executeTakeFirstOrThrow();
    // As version 1 sealed it: without the endpoint.
    const v1 = seal(
      s3.secretAccessKey,
      masterKey(),
      associatedData(["obm.connection.secret", row.user_id, row.id, row.access_key_id]),
    );
    await (
      await db()
    )
      .updateTable("connections")
      .set({ secret_sealed: v1, seal_version: 1 })
      .where("id", "=", old)
      .execute();
    expect((await admin.post<{ ok: boolean }>(`/api/connections/${old}/test`, {})).body.ok).toBe(true);
    const { upgradeSeals } = await import("@/lib/server/crypto/key-check");
    expect(await upgradeSeals()).toBe(1);
    const after = await (
      await db()
    )
      .selectFrom("connections")
      .selectAll()
      .where("id", "=", old)
      .executeTakeFirstOrThrow();
    expect(after.seal_version).toBe(2);
    expect((await admin.post<{ ok: boolean }>(`/api/connections/${old}/test`, {})).body.ok).toBe(true);
  });
});
