import { findApiRoutes, loadHandlers, METHODS } from "../helpers/api-routes";
import { TestClient } from "../helpers/api-client";

// The only routes that answer without a session. Adding a public route means adding it here, on purpose.
const PUBLIC = new Set([
  "GET /api/health",
  "POST /api/auth/setup",
  "POST /api/auth/login",
  "GET /api/auth/session",
  // Single sign-on: the start and the provider's callback come before any session exists, and the
  // back-channel logout is called by the provider with its own signed token.
  "GET /api/auth/oidc/start",
  "GET /api/auth/oidc/callback",
  "POST /api/auth/oidc/backchannel-logout",
  // Share pages and upload requests: no session, the token in the address is the key (and they act with
  // their creator's access, checked on every call).
  "GET /api/public/shares/[token]",
  "POST /api/public/shares/[token]/unlock",
  "GET /api/public/shares/[token]/objects",
  "POST /api/public/shares/[token]/download",
  "GET /api/public/uploads/[token]",
  "POST /api/public/uploads/[token]/unlock",
  "POST /api/public/uploads/[token]/plan",
  "POST /api/public/uploads/[token]/parts",
  "POST /api/public/uploads/[token]/parts/list",
  "POST /api/public/uploads/[token]/complete",
  "POST /api/public/uploads/[token]/abort",
  "POST /api/public/uploads/[token]/files",
]);

function concrete(path: string): string {
  return path.replace(/\[\[?\.\.\.[^\]]+\]\]?/g, "some/prefix").replace(/\[[^\]]+\]/g, "some-id");
}

describe("every API route checks the session itself", () => {
  const routes = findApiRoutes();
  const cases = routes.flatMap((r) =>
    METHODS.filter((m) => loadHandlers(r)[m]).map((m) => ({ method: m, path: r.path })),
  );

  it("agrees with the operation table on which routes are public", async () => {
    const { operations } = await import("@/lib/access/operations");
    for (const c of cases) {
      const handler = loadHandlers(routes.find((r) => r.path === c.path)!)[c.method] as unknown as {
        operation: keyof typeof operations;
      };
      expect({
        route: `${c.method} ${c.path}`,
        public:
          operations[handler.operation].who === "public" ||
          (operations[handler.operation] as { connection?: string }).connection === "share",
      }).toEqual({
        route: `${c.method} ${c.path}`,
        public: PUBLIC.has(`${c.method} ${c.path}`),
      });
    }
  });

  it("finds the routes by walking app/api", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const p of PUBLIC) expect(cases.map((c) => `${c.method} ${c.path}`)).toContain(p);
  });

  it.each(cases.filter((c) => !PUBLIC.has(`${c.method} ${c.path}`)))(
    "$method $path answers 401 without a session",
    async ({ method, path }) => {
      const client = new TestClient();
      const res = await client.request(
        method,
        concrete(path),
        method === "GET" || method === "DELETE" ? undefined : {},
      );
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
    },
  );

  it.each(cases.filter((c) => c.path.startsWith("/api/public/")))(
    "$method $path answers 404 to a made-up share address",
    async ({ method, path }) => {
      const res = await new TestClient().request(
        method,
        path.replace("[token]", "A".repeat(43)),
        method === "GET" ? undefined : { visit: "v".repeat(20), code: "x" },
      );
      expect([404, 400]).toContain(res.status);
      if (res.status === 400)
        expect((res.body as { error: { code: string } }).error.code).toBe("validation_failed");
    },
  );

  it.each(cases.filter((c) => !PUBLIC.has(`${c.method} ${c.path}`)))(
    "$method $path answers 401 to a made-up session cookie",
    async ({ method, path }) => {
      const client = new TestClient();
      client.cookie = "obm_session=forged-token-value";
      const res = await client.request(
        method,
        concrete(path),
        method === "GET" || method === "DELETE" ? undefined : {},
      );
      expect(res.status).toBe(401);
    },
  );
});
