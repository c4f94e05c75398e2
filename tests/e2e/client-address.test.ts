import { startApp, type AppServer } from "../helpers/app-server";

jest.setTimeout(120_000);

// Throttling by address is only worth something if a client cannot choose its address. These run against
// the real server (scripts/start.mjs), which is what sets the address the app sees.

async function login(app: AppServer, username: string, forwardedFor: string) {
  return fetch(`${app.url}/api/auth/login`, {
    method: "POST",
    headers: { origin: app.url, "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ username, password: "wrong password!" }),
  });
}

async function setup(app: AppServer) {
  const r = await fetch(`${app.url}/api/auth/setup`, {
    method: "POST",
    headers: { origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "a long enough passphrase" }),
  });
  expect(r.status).toBe(201);
}

describe("the client address used for throttling", () => {
  it("ignores X-Forwarded-For from the client by default", async () => {
    const app = await startApp({
      LOGIN_MAX_FAILURES_PER_ADDRESS: "3",
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "100",
    });
    try {
      await setup(app);
      for (let i = 0; i < 3; i++) expect((await login(app, `user${i}`, `203.0.113.${i}`)).status).toBe(401);
      // A new spoofed address does not help: the socket's address is what counts.
      expect((await login(app, "user9", "203.0.113.99")).status).toBe(429);
    } finally {
      await app.stop();
    }
  });

  it("uses the proxy's X-Forwarded-For with TRUST_PROXY=true", async () => {
    const app = await startApp({
      LOGIN_MAX_FAILURES_PER_ADDRESS: "3",
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "100",
      TRUST_PROXY: "true",
    });
    try {
      await setup(app);
      for (let i = 0; i < 3; i++) expect((await login(app, `user${i}`, "198.51.100.1")).status).toBe(401);
      expect((await login(app, "user9", "198.51.100.1")).status).toBe(429);
      // The rightmost entry is the one the proxy appended; what the client wrote before it is ignored.
      expect((await login(app, "user9", "198.51.100.1, 198.51.100.2")).status).toBe(401);
    } finally {
      await app.stop();
    }
  });
});
