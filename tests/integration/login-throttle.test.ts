import { ADMIN, adminClient, TestClient } from "../helpers/api-client";

jest.setTimeout(30_000);

process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT = "3";
process.env.LOGIN_MAX_FAILURES_PER_ADDRESS = "6";
process.env.LOGIN_THROTTLE_WINDOW_SECONDS = "2";
process.env.LOGIN_ACCOUNT_BACKOFF_AFTER = "8";
process.env.LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS = "2";

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

  it("locks an account tried from one place, there only: the owner elsewhere still signs in", async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(ADMIN.username, "wrong password!")).status).toBe(401);
    const locked = await attempt(ADMIN.username, ADMIN.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^[12]$/);
    expect(locked.body.error?.message).toMatch(/Try again in \d+ seconds/);
    expect((await attempt(ADMIN.username, ADMIN.password, "192.0.2.99")).status).toBe(200);
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

  it("counts every attempt before the password check: 50 at once get no more checks than the limit", async () => {
    await sleep(2200);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => attempt(ADMIN.username, "wrong password!", "198.51.100.50")),
    );
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked).toBeLessThanOrEqual(3);
    expect(results.filter((r) => r.status === 429).length).toBe(50 - checked);
  });

  it("locks a place that guesses many accounts, without locking the accounts elsewhere", async () => {
    await sleep(2200);
    for (let i = 0; i < 6; i++) await attempt(`guess${i}`, "wrong password!", "203.0.113.66");
    expect((await attempt(ADMIN.username, ADMIN.password, "203.0.113.66")).status).toBe(429);
    expect((await attempt(ADMIN.username, ADMIN.password, "203.0.113.67")).status).toBe(200);
  });

  it("slows an account guessed from many places, briefly, and not at its owner's usual place", async () => {
    await sleep(2200);
    expect((await attempt(ADMIN.username, ADMIN.password, "192.0.2.200")).status).toBe(200); // the usual place
    for (let i = 0; i < 10; i++) await attempt(ADMIN.username, "wrong password!", `198.18.0.${i + 1}`);
    const elsewhere = await attempt(ADMIN.username, ADMIN.password, "198.18.1.1");
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers.get("retry-after"))).toBeLessThanOrEqual(2);
    expect((await attempt(ADMIN.username, ADMIN.password, "192.0.2.200")).status).toBe(200);
    await sleep(2200);
    expect((await attempt(ADMIN.username, ADMIN.password, "198.18.1.1")).status).toBe(200);
  });

  it("throttles IPv6 clients per /64", async () => {
    await sleep(2200);
    for (let i = 0; i < 3; i++) await attempt(ADMIN.username, "wrong password!", `2001:db8:1:2::${i + 1}`);
    expect((await attempt(ADMIN.username, ADMIN.password, "2001:db8:1:2:ffff::9")).status).toBe(429);
    expect((await attempt(ADMIN.username, ADMIN.password, "2001:0db8:0001:0002:0:0:0:77")).status).toBe(429);
    expect((await attempt(ADMIN.username, ADMIN.password, "2001:db8:1:3::1")).status).toBe(200);
  });

  it("throttles guessing the current password when changing it", async () => {
    await sleep(2200);
    const admin = await adminClient();
    admin.address = "192.0.2.201";
    const change = (current: string) =>
      admin.post("/api/auth/password", {
        currentPassword: current,
        newPassword: "a brand new long password",
      });
    for (let i = 0; i < 3; i++) expect((await change("not my password")).status).toBe(400);
    expect((await change(ADMIN.password)).status).toBe(429);
  });

  it("keeps the throttle in the database, not in process memory", async () => {
    const { db } = await import("@/lib/server/db");
    const rows = await (await db()).selectFrom("login_throttle").selectAll().execute();
    expect(rows.some((r) => r.key.startsWith("pair:admin|") && r.locked_until > Date.now())).toBe(true);
  });
});
