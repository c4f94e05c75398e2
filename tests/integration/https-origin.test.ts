import { ADMIN, TestClient } from "../helpers/api-client";

// Served over HTTPS (APP_ORIGIN=https://…): the session cookie carries the __Host- prefix and Secure, and
// every answer tells the browser to come back over HTTPS only (HSTS).
process.env.APP_ORIGIN = "https://app.test";

describe("over HTTPS", () => {
  it("uses a __Host- session cookie and sends HSTS", async () => {
    const c = new TestClient();
    c.origin = "https://app.test";
    const setup = await c.post("/api/auth/setup", ADMIN);
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^__Host-obm_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/,
    );
    expect(setup.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect((await c.get("/api/connections")).status).toBe(200);
    // The plain name is not read over HTTPS (a cookie planted without the prefix).
    const planted = await c.request("GET", "/api/connections", undefined, {
      cookie: `obm_session=${c.cookie?.split("=")[1]}`,
    });
    expect(planted.status).toBe(401);
    const refused = await new TestClient().get("/api/connections");
    expect(refused.headers.get("strict-transport-security")).toBe("max-age=31536000");
  });
});
