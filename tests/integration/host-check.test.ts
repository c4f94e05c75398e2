import { ADMIN, adminClient, TestClient } from "../helpers/api-client";

// Without APP_ORIGIN the server answers only to its own names (localhost, a loopback address, HOST): a
// DNS-rebinding page (evil.example resolving to this server) cannot act as a page of this app, first-time
// setup included. And a session cookie sent twice counts as none.

describe("requests under a foreign host name", () => {
  it("are refused, and first-time setup cannot be run through them", async () => {
    const rebound = new TestClient();
    rebound.origin = "http://evil.example";
    const setup = await rebound.request("POST", "/api/auth/setup", ADMIN, { host: "evil.example" });
    expect(setup.status).toBe(421);
    const session = await rebound.request<{ setupRequired: boolean }>("GET", "/api/auth/session", undefined, {
      host: "evil.example",
    });
    expect(session.status).toBe(421);
    const fresh = await new TestClient().get<{ setupRequired: boolean }>("/api/auth/session");
    expect(fresh.body.setupRequired).toBe(true);
  });

  it("are served under this server's own names", async () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "app.test"]) {
      const r = await new TestClient().request("GET", "/api/health", undefined, { host });
      expect({ host, status: r.status }).toEqual({ host, status: 200 });
    }
  });

  it("treats a duplicated session cookie as no session", async () => {
    const admin = await adminClient();
    expect((await admin.get("/api/connections")).status).toBe(200);
    const doubled = await admin.request("GET", "/api/connections", undefined, {
      cookie: `${admin.cookie}; obm_session=planted-value`,
    });
    expect(doubled.status).toBe(401);
  });
});
