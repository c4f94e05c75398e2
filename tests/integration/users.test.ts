import { adminClient, TestClient, userClient } from "../helpers/api-client";

describe("users and ownership", () => {
  let admin: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    admin = await adminClient();
    bob = await userClient(admin, "bob");
  });

  it("a plain user cannot list, add or remove users (403)", async () => {
    expect((await bob.get("/api/users")).status).toBe(403);
    expect((await bob.post("/api/users", { username: "eve", password: "long enough password" })).status).toBe(
      403,
    );
    const users = await admin.get<{ users: { id: string; username: string }[] }>("/api/users");
    const adminId = users.body.users.find((u) => u.username === "admin")!.id;
    expect((await bob.delete(`/api/users/${adminId}`)).status).toBe(403);
  });

  it("one user cannot see or sign out another user's session (404)", async () => {
    const adminSessions = await admin.get<{ sessions: { id: string }[] }>("/api/auth/sessions");
    const bobSessions = await bob.get<{ sessions: { id: string }[] }>("/api/auth/sessions");
    const adminIds = adminSessions.body.sessions.map((s) => s.id);
    expect(bobSessions.body.sessions.map((s) => s.id).some((id) => adminIds.includes(id))).toBe(false);
    const r = await bob.delete(`/api/auth/sessions/${adminIds[0]}`);
    expect(r.status).toBe(404);
    expect((await admin.get("/api/auth/sessions")).status).toBe(200);
  });

  it("refuses a taken username regardless of case, naming the field", async () => {
    const r = await admin.post("/api/users", { username: "BOB", password: "long enough password" });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      error: { code: "conflict", message: expect.stringMatching(/^username: /) },
    });
  });

  it.each([
    [{ username: "ab", password: "long enough password" }, "username: must be at least 3 characters"],
    [{ username: "has space", password: "long enough password" }, /^username: may contain only/],
    [{ username: "carol", password: "short" }, "password: must be at least 10 characters"],
    [{ username: "carol", password: "long enough password", role: "root" }, /^role: /],
    [{ password: "long enough password" }, "username: is required"],
  ])("refuses bad input %j with the field and the rule", async (body, message) => {
    const before = await admin.get<{ users: unknown[] }>("/api/users");
    const r = await admin.post("/api/users", body);
    expect(r.status).toBe(400);
    expect((r.body as { error: { message: string } }).error.message).toEqual(
      typeof message === "string" ? message : expect.stringMatching(message),
    );
    expect((await admin.get<{ users: unknown[] }>("/api/users")).body.users).toHaveLength(
      before.body.users.length,
    );
  });

  it("the last administrator cannot remove themself", async () => {
    const users = await admin.get<{ users: { id: string; username: string }[] }>("/api/users");
    const me = users.body.users.find((u) => u.username === "admin")!;
    const r = await admin.delete(`/api/users/${me.id}`);
    expect(r.status).toBe(409);
  });

  it("removing a user ends their sessions at once", async () => {
    const carol = await userClient(admin, "carol");
    const users = await admin.get<{ users: { id: string; username: string }[] }>("/api/users");
    const id = users.body.users.find((u) => u.username === "carol")!.id;
    expect((await admin.delete(`/api/users/${id}`)).status).toBe(200);
    expect((await carol.get("/api/auth/sessions")).status).toBe(401);
    expect((await admin.delete(`/api/users/${id}`)).status).toBe(404);
  });

  it("two administrators removing each other at once leave one administrator", async () => {
    const second = await admin.post<{ id: string }>("/api/users", {
      username: "second-admin",
      password: "another long password",
      role: "admin",
    });
    expect(second.status).toBe(201);
    const other = new TestClient();
    await other.post("/api/auth/login", { username: "second-admin", password: "another long password" });
    const users = await admin.get<{ users: { id: string; username: string; role: string }[] }>("/api/users");
    const me = users.body.users.find((u) => u.username === "admin")!;
    const [a, b] = await Promise.all([
      admin.delete(`/api/users/${second.body.id}`),
      other.delete(`/api/users/${me.id}`),
    ]);
    // One removal wins; the other is refused (409), or finds its own session gone with its user (401).
    expect([a.status, b.status].filter((x) => x === 200)).toHaveLength(1);
    expect([a.status, b.status].every((x) => [200, 401, 409].includes(x))).toBe(true);
    const { db } = await import("@/lib/server/db");
    const admins = await (await db()).selectFrom("users").select("id").where("role", "=", "admin").execute();
    expect(admins).toHaveLength(1);
  });
});
