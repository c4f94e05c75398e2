import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ADMIN, adminClient, TestClient } from "../helpers/api-client";

async function sessionsTable() {
  const { db } = await import("@/lib/server/db");
  return (await db()).selectFrom("sessions").selectAll().execute();
}

async function setSessionTimes(values: { expires_at?: number; last_seen_at?: number }) {
  const { db } = await import("@/lib/server/db");
  await (await db()).updateTable("sessions").set(values).execute();
}

describe("sessions", () => {
  it("sets an HttpOnly, SameSite=Lax cookie and stores only a hash of the token", async () => {
    const c = new TestClient();
    const r = await c.post("/api/auth/setup", ADMIN);
    const cookie = r.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^obm_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http here; Secure is tested where the origin is https
    const token = c.cookie!.split("=")[1]!;
    const rows = await sessionsTable();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token);
    // SQLite: not in the file either (PostgreSQL keeps no file here to look into).
    if (!process.env.DATABASE_URL) {
      const dbBytes = fs.readFileSync(path.join(process.env.DATA_DIR!, "app.db-wal"));
      expect(dbBytes.includes(Buffer.from(token))).toBe(false);
    }
  });

  it("logout invalidates the token on the server, not only in the browser", async () => {
    const c = await adminClient();
    const stolen = c.cookie;
    expect((await c.post("/api/auth/logout")).status).toBe(200);
    expect(c.cookie).toBeUndefined();
    const replay = new TestClient();
    replay.cookie = stolen;
    expect((await replay.get("/api/auth/sessions")).status).toBe(401);
  });

  it("refuses a session past its absolute lifetime and deletes it", async () => {
    const c = new TestClient();
    expect((await c.post("/api/auth/login", ADMIN)).status).toBe(200);
    const token = c.cookie;
    await setSessionTimes({ expires_at: Date.now() - 1000 });
    expect((await c.get("/api/auth/sessions")).status).toBe(401);
    const hash = createHash("sha256").update(token!.split("=")[1]!).digest("hex");
    expect((await sessionsTable()).find((r) => r.token_hash === hash)).toBeUndefined();
  });

  it("refuses a session idle for longer than the idle timeout", async () => {
    const c = new TestClient();
    expect((await c.post("/api/auth/login", ADMIN)).status).toBe(200);
    await setSessionTimes({ last_seen_at: Date.now() - 13 * 3600 * 1000 });
    expect((await c.get("/api/auth/session")).body).toMatchObject({ authenticated: false });
    expect((await c.get("/api/auth/sessions")).status).toBe(401);
  });

  it("rotates the token on login: a token planted before sign-in never becomes a session", async () => {
    const c = new TestClient();
    await c.post("/api/auth/login", ADMIN);
    const before = c.cookie;
    await c.post("/api/auth/login", ADMIN);
    expect(c.cookie).not.toEqual(before);
    const old = new TestClient();
    old.cookie = before;
    expect((await old.get("/api/auth/sessions")).status).toBe(401);
    expect((await c.get("/api/auth/sessions")).status).toBe(200);
  });

  it("lists the user's sessions and signs out another one", async () => {
    const a = new TestClient();
    const b = new TestClient();
    await a.post("/api/auth/login", ADMIN);
    await b.post("/api/auth/login", ADMIN);
    const list = await a.get<{ sessions: { id: string; current: boolean }[] }>("/api/auth/sessions");
    const other = list.body.sessions.find((s) => !s.current)!;
    expect(list.body.sessions.filter((s) => s.current)).toHaveLength(1);
    expect((await a.delete(`/api/auth/sessions/${other.id}`)).status).toBe(200);
    expect((await b.get("/api/auth/sessions")).status).toBe(401);
  });

  it("changing the password signs out every other session", async () => {
    const a = new TestClient();
    const b = new TestClient();
    await a.post("/api/auth/login", ADMIN);
    await b.post("/api/auth/login", ADMIN);
    const wrong = await a.post("/api/auth/password", {
      currentPassword: "not it",
      newPassword: "a brand new password",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { message: "currentPassword: is not your current password" } });
    const ok = await a.post<{ signedOutSessions: number }>("/api/auth/password", {
      currentPassword: ADMIN.password,
      newPassword: "a brand new password",
    });
    expect(ok.status).toBe(200);
    expect(ok.body.signedOutSessions).toBeGreaterThanOrEqual(1);
    expect((await b.get("/api/auth/sessions")).status).toBe(401);
    expect((await a.get("/api/auth/sessions")).status).toBe(200);
    expect(
      (await new TestClient().post("/api/auth/login", { ...ADMIN, password: "a brand new password" })).status,
    ).toBe(200);
  });

  it("sweeps away sessions that expired unused when someone signs in", async () => {
    // The password as the previous test left it.
    const CURRENT = { ...ADMIN, password: "a brand new password" };
    const stale = new TestClient();
    await stale.post("/api/auth/login", CURRENT);
    const staleHash = createHash("sha256").update(stale.cookie!.split("=")[1]!).digest("hex");
    const { db } = await import("@/lib/server/db");
    await (
      await db()
    )
      .updateTable("sessions")
      .set({ last_seen_at: Date.now() - 13 * 3600 * 1000 })
      .where("token_hash", "=", staleHash)
      .execute();
    expect((await sessionsTable()).some((r) => r.token_hash === staleHash)).toBe(true);
    await new TestClient().post("/api/auth/login", CURRENT);
    expect((await sessionsTable()).some((r) => r.token_hash === staleHash)).toBe(false);
  });
});
