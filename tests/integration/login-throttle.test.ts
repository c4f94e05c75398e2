import { ADMIN, adminClient, TestClient } from "../helpers/api-client";

process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT = "3";
process.env.LOGIN_MAX_FAILURES_PER_ADDRESS = "6";
process.env.LOGIN_THROTTLE_WINDOW_SECONDS = "2";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attempt(username: string, password: string, address = "198.51.100.7") {
  const c = new TestClient();
  c.address = address;
  return c.post<{ error?: { code: string; message: string } }>("/api/auth/login", { username, password });
}

describe("login throttling", () => {
  beforeAll(async () => {
    await adminClient();
  });

  it("locks an account after repeated wrong passwords, then lets the right password in after the window", async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(ADMIN.username, "wrong password!")).status).toBe(401);
    const locked = await attempt(ADMIN.username, ADMIN.password, "192.0.2.99");
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^[12]$/);
    expect(locked.body.error?.message).toMatch(/Try again in \d+ seconds/);

    await sleep(2200);
    expect((await attempt(ADMIN.username, ADMIN.password)).status).toBe(200);
  });

  it("answers an unknown account exactly like a known one (no account enumeration)", async () => {
    await sleep(2200);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push((await attempt(ADMIN.username, "wrong password!", "192.0.2.1")).status);
      unknown.push((await attempt("nobody-here", "wrong password!", "192.0.2.2")).status);
    }
    expect(unknown).toEqual(known);
    expect(known).toEqual([401, 401, 401, 429]);
    const a = await attempt(ADMIN.username, "wrong password!", "192.0.2.3");
    const b = await attempt("nobody-here", "wrong password!", "192.0.2.4");
    expect(a.body).toEqual(b.body);
  });

  it("locks an address that guesses many accounts, without locking the accounts elsewhere", async () => {
    await sleep(2200);
    for (let i = 0; i < 6; i++) await attempt(`guess${i}`, "wrong password!", "203.0.113.66");
    expect((await attempt(ADMIN.username, ADMIN.password, "203.0.113.66")).status).toBe(429);
    expect((await attempt(ADMIN.username, ADMIN.password, "203.0.113.67")).status).toBe(200);
  });

  it("keeps the throttle in the database, not in process memory", async () => {
    const { db } = await import("@/lib/server/db");
    const rows = await (await db()).selectFrom("login_throttle").selectAll().execute();
    expect(rows.some((r) => r.key === "address:203.0.113.66" && r.locked_until > Date.now())).toBe(true);
  });
});
