import { ADMIN, TestClient } from "../helpers/api-client";

describe("first run", () => {
  it("reports health with the database state, without a session", async () => {
    const r = await new TestClient().get("/api/health");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", database: { ok: true } });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("reports readiness with the schema version and memory, and 503 while the instance stops", async () => {
    const { migrations } = await import("@/lib/server/db/migrations");
    const latest = Math.max(...migrations.map((m) => m.version));
    const ready = await new TestClient().get("/api/health?ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      stopping: false,
      database: {
        ok: true,
        kind: process.env.DATABASE_URL ? "postgresql" : "sqlite",
        schemaVersion: latest,
        latestSchemaVersion: latest,
      },
    });
    const { memory } = ready.body as { memory: { rssBytes: number; heapUsedBytes: number } };
    expect(memory.rssBytes).toBeGreaterThan(memory.heapUsedBytes);

    // What scripts/start.mjs does on SIGTERM: readiness fails (a load balancer drains the instance), while
    // liveness still answers 200.
    const life = (globalThis as Record<symbol, { stopping: boolean }>)[Symbol.for("obm.lifecycle")]!;
    life.stopping = true;
    try {
      const draining = await new TestClient().get("/api/health?ready");
      expect(draining.status).toBe(503);
      expect(draining.body).toMatchObject({ ready: false, stopping: true });
      expect((await new TestClient().get("/api/health")).status).toBe(200);
    } finally {
      life.stopping = false;
    }
  });

  it("asks for setup while no user exists, and creates exactly one admin under concurrent requests", async () => {
    expect((await new TestClient().get("/api/auth/session")).body).toEqual({
      authenticated: false,
      setupRequired: true,
      user: null,
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        new TestClient().post("/api/auth/setup", { username: `admin${i}`, password: ADMIN.password }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body as { user: { role: string } };
    expect(winner.user.role).toBe("admin");
    const again = await new TestClient().post("/api/auth/setup", ADMIN);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "setup_done" } });
  });

  it("applies migrations once and records them", async () => {
    const { db, migrate } = await import("@/lib/server/db");
    const { migrations } = await import("@/lib/server/db/migrations");
    const kysely = await db();
    expect(await migrate(kysely)).toEqual([]);
    const rows = await kysely.selectFrom("schema_migrations").selectAll().execute();
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  });
});
