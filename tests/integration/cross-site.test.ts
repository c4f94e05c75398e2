import { adminClient, APP_ORIGIN, TestClient } from "../helpers/api-client";

describe("mutations only from our own pages", () => {
  it("refuses a cross-site setup and creates nothing", async () => {
    const c = new TestClient();
    c.origin = "https://evil.example";
    const r = await c.post("/api/auth/setup", { username: "mallory", password: "long enough password" });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: { code: "cross_site" } });
    expect(c.cookie).toBeUndefined();
    const session = await new TestClient().get<{ setupRequired: boolean }>("/api/auth/session");
    expect(session.body.setupRequired).toBe(true);
  });

  it("refuses a signed-in user's cross-site POST and DELETE and changes nothing", async () => {
    const admin = await adminClient();
    const before = await admin.get<{ users: unknown[] }>("/api/users");

    admin.origin = "https://evil.example";
    const created = await admin.post("/api/users", { username: "planted", password: "long enough password" });
    expect(created.status).toBe(403);
    const removed = await admin.delete(`/api/users/${encodeURIComponent("whatever")}`);
    expect(removed.status).toBe(403);
    const logout = await admin.post("/api/auth/logout");
    expect(logout.status).toBe(403);

    admin.origin = APP_ORIGIN;
    const after = await admin.get<{ users: unknown[] }>("/api/users");
    expect(after.body.users).toEqual(before.body.users);
    // The session survived the forged logout.
    expect((await admin.get("/api/auth/sessions")).status).toBe(200);
  });

  it("refuses a mutation that carries no Origin at all, unless the browser marks it same-origin", async () => {
    const admin = await adminClient();
    admin.origin = null;
    expect(
      (await admin.post("/api/users", { username: "noorigin", password: "long enough password" })).status,
    ).toBe(403);
    const viaFetchMetadata = await admin.request(
      "POST",
      "/api/users",
      { username: "fetchmeta", password: "long enough password" },
      { "sec-fetch-site": "same-origin" },
    );
    expect(viaFetchMetadata.status).toBe(201);
  });

  it("refuses a body that is not JSON (415) and changes nothing", async () => {
    const admin = await adminClient();
    const before = await admin.get<{ users: { username: string }[] }>("/api/users");
    const r = await admin.request("POST", "/api/users", "username=formpost&password=long+enough+password", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(r.status).toBe(415);
    const users = await admin.get<{ users: { username: string }[] }>("/api/users");
    expect(users.body.users).toEqual(before.body.users);
  });

  it("answers malformed JSON with 400 naming the body", async () => {
    const admin = await adminClient();
    const r = await admin.request("POST", "/api/users", "{not json", { "content-type": "application/json" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: "bad_request", message: "body: is not valid JSON" } });
  });
});
