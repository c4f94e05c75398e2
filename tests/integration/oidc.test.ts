import fs from "node:fs";
import path from "node:path";
import { addRgwConnection, adminClient, APP_ORIGIN, TestClient, userClient } from "../helpers/api-client";
import { signInAtProvider, startTestProvider, type TestProvider } from "../helpers/oidc";
import { share } from "../helpers/sharing";
import { tempDir } from "../helpers/temp-dir";

// Single sign-on against a real OpenID provider (the certified oidc-provider package, its own process on
// loopback): users created on first sign-in with the teams their groups map to, teams and role following
// the groups at every sign-in, a replayed code and a wrong state refused, a user removed from the provider
// signed out here at the next check, and passwords here kept for administrators.

const CALLBACK = `${APP_ORIGIN}/api/auth/oidc/callback`;
let provider: TestProvider;
let accountsFile: string;
let admin: TestClient;

function writeAccounts(accounts: Record<string, { groups: string[] }>) {
  fs.writeFileSync(accountsFile, JSON.stringify(accounts));
}

beforeAll(async () => {
  accountsFile = path.join(tempDir("obm-oidc-"), "accounts.json");
  writeAccounts({
    mei: { groups: ["ml-vision"] },
    root: { groups: ["ml-admins", "ml-audio"] },
    ken: { groups: [] },
  });
  provider = await startTestProvider({ redirect: [CALLBACK], accounts: accountsFile });
  Object.assign(process.env, {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_SCOPES: "openid offline_access profile email groups",
    OIDC_NAME: "Lab SSO",
    OIDC_GROUP_TEAMS: "ml-vision=Vision;ml-audio=Audio",
    OIDC_ADMIN_GROUPS: "ml-admins",
    OIDC_RECHECK_SECONDS: "1",
    LOCAL_SIGN_IN: "admins",
  });
  admin = await adminClient();
});

afterAll(async () => {
  await provider?.stop();
});

/** Starts a sign-in like the page's button: our redirect to the provider and the sealed attempt cookie. */
async function start(c: TestClient, next = "/buckets") {
  const r = await c.get(`/api/auth/oidc/start?next=${encodeURIComponent(next)}`);
  expect(r.status).toBe(302);
  const attempt = /obm_oidc=([^;]+)/.exec(r.headers.get("set-cookie") ?? "")?.[1];
  expect(attempt).toBeTruthy();
  return { location: r.headers.get("location")!, attempt: attempt! };
}

async function callback(c: TestClient, url: string, attempt: string | null) {
  const u = new URL(url);
  return c.request(
    "GET",
    `/api/auth/oidc/callback${u.search}`,
    undefined,
    attempt ? { cookie: `obm_oidc=${attempt}` } : {},
  );
}

/** The whole round trip: a new client signed in through the provider as `login`. */
async function ssoClient(
  login: string,
): Promise<{ client: TestClient; callbackUrl: string; attempt: string }> {
  const client = new TestClient();
  const { location, attempt } = await start(client);
  const callbackUrl = await signInAtProvider(location, login, CALLBACK);
  const r = await callback(client, callbackUrl, attempt);
  expect({ status: r.status, location: r.headers.get("location") }).toEqual({
    status: 302,
    location: `${APP_ORIGIN}/buckets`,
  });
  return { client, callbackUrl, attempt };
}

const failure = (r: { headers: Headers }) =>
  new URL(r.headers.get("location") ?? "", APP_ORIGIN).searchParams.get("sso_error");

describe("single sign-on through a real OpenID provider", () => {
  it("sends the browser to the provider with state, nonce and PKCE", async () => {
    const { location } = await start(new TestClient());
    const u = new URL(location);
    expect(u.origin).toBe(provider.issuer);
    for (const p of ["state", "nonce", "code_challenge"])
      expect(u.searchParams.get(p)?.length).toBeGreaterThan(20);
    expect(u.searchParams.get("code_challenge_method")).toBe("S256");
    expect(u.searchParams.get("redirect_uri")).toBe(CALLBACK);
  });

  it("creates the user on first sign-in, in the teams their groups map to, seeing what those teams were granted", async () => {
    // Vision exists before (made by an administrator) and holds a share; Audio does not exist yet.
    const team = await admin.post<{ id: string }>("/api/teams", { name: "Vision" });
    const conn = await addRgwConnection(admin, { name: "vision key" });
    await addRgwConnection(admin, { name: "not shared" });
    await share(admin, conn, { type: "team", id: team.body.id }, "uploader", "all");

    const { client } = await ssoClient("mei");
    const me = await client.get<{ user: { username: string; role: string } }>("/api/auth/session");
    expect(me.body.user).toMatchObject({ username: "mei", role: "user" });
    const keys = await client.get<{ connections: { name: string }[] }>("/api/connections");
    expect(keys.body.connections.map((c) => c.name)).toEqual(["vision key"]);
    const teams = await admin.get<{ teams: { name: string; members: { username: string }[] }[] }>(
      "/api/teams",
    );
    expect(teams.body.teams.find((t) => t.name === "Vision")?.members.map((m) => m.username)).toEqual([
      "mei",
    ]);

    const root = await ssoClient("root");
    const rootMe = await root.client.get<{ user: { role: string } }>("/api/auth/session");
    expect(rootMe.body.user.role).toBe("admin");
    const again = await admin.get<{ teams: { name: string; members: { username: string }[] }[] }>(
      "/api/teams",
    );
    expect(again.body.teams.find((t) => t.name === "Audio")?.members.map((m) => m.username)).toEqual([
      "root",
    ]);
  });

  it("teams and role follow the provider's groups at every sign-in", async () => {
    writeAccounts({ mei: { groups: ["ml-audio"] }, root: { groups: [] }, ken: { groups: [] } });
    await ssoClient("mei");
    const root = await ssoClient("root");
    const teams = await admin.get<{ teams: { name: string; members: { username: string }[] }[] }>(
      "/api/teams",
    );
    const members = (name: string) =>
      teams.body.teams.find((t) => t.name === name)?.members.map((m) => m.username);
    expect(members("Vision")).toEqual([]);
    expect(members("Audio")).toEqual(["mei"]);
    expect((await root.client.get<{ user: { role: string } }>("/api/auth/session")).body.user.role).toBe(
      "user",
    );
    const users = await admin.get<{ users: { username: string }[] }>("/api/users");
    expect(users.body.users.filter((u) => u.username === "mei")).toHaveLength(1); // the same user, not a new one
  });

  it("refuses a replayed code, a wrong state, a missing attempt and a refusal at the provider", async () => {
    const { client, callbackUrl, attempt } = await ssoClient("ken");
    // The same answer again, even with the attempt cookie put back: the provider refuses the used code.
    expect(failure(await callback(new TestClient(), callbackUrl, attempt))).toBe("code_rejected");
    // Another sign-in's state.
    const second = await start(client);
    const other = await start(new TestClient());
    const answer = await signInAtProvider(other.location, "ken", CALLBACK);
    expect(failure(await callback(client, answer, second.attempt))).toBe("state_mismatch");
    // No attempt started in this browser.
    expect(failure(await callback(new TestClient(), answer, null))).toBe("attempt_expired");
    // A tampered attempt cookie.
    expect(failure(await callback(new TestClient(), answer, `${second.attempt.slice(0, -4)}AAAA`))).toBe(
      "attempt_expired",
    );
    // The user said no at the provider.
    const state = new URL(second.location).searchParams.get("state");
    expect(
      failure(
        await callback(
          client,
          `${CALLBACK}?error=access_denied&state=${state}&iss=${encodeURIComponent(provider.issuer)}`,
          second.attempt,
        ),
      ),
    ).toBe("denied");
  });

  it("after sign-in, goes only to a path of this app", async () => {
    const client = new TestClient();
    const { location, attempt } = await start(client, "//evil.example/x");
    const answer = await signInAtProvider(location, "ken", CALLBACK);
    const r = await callback(client, answer, attempt);
    expect(r.headers.get("location")).toBe(`${APP_ORIGIN}/`);
  });

  it("a user removed from the provider is signed out here at the next check", async () => {
    const { client } = await ssoClient("ken");
    expect((await client.get("/api/connections")).status).toBe(200);
    writeAccounts({ mei: { groups: ["ml-audio"] }, root: { groups: [] } });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await client.get("/api/connections")).status).toBe(401);
    // And cannot sign in again.
    const other = new TestClient();
    const { location, attempt } = await start(other);
    const answer = await signInAtProvider(location, "ken", CALLBACK).catch(() => null);
    if (answer) expect(failure(await callback(other, answer, attempt))).not.toBeNull();
    expect((await other.get("/api/connections")).status).toBe(401);
  });

  it("keeps passwords here for administrators; provider users have none", async () => {
    const local = await userClient(admin, "localuser").catch((e: Error) => e);
    expect(local).toBeInstanceOf(Error);
    expect(String(local)).toContain("Sign in with Lab SSO");
    const byName = new TestClient();
    const r = await byName.post<{ error: { code: string } }>("/api/auth/login", {
      username: "mei",
      password: "",
    });
    expect(r.status).toBe(400);
    const wrong = await byName.post<{ error: { code: string } }>("/api/auth/login", {
      username: "mei",
      password: "anything at all",
    });
    expect(wrong.status).toBe(401);
    const { client } = await ssoClient("mei");
    const pw = await client.post<{ error: { message: string } }>("/api/auth/password", {
      currentPassword: "x",
      newPassword: "a brand new password",
    });
    expect(pw.status).toBe(409);
  });

  it("signing out here offers the provider's sign-out", async () => {
    const { client } = await ssoClient("mei");
    const r = await client.post<{ ok: boolean; providerSignOut?: string }>("/api/auth/logout");
    expect(r.status).toBe(200);
    const url = new URL(r.body.providerSignOut!);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${APP_ORIGIN}/login?signedOut=1`);
    expect(url.searchParams.get("id_token_hint")).toBeTruthy();
    expect((await client.get("/api/connections")).status).toBe(401);
  });

  it("still signs in after the provider restarts with new signing keys", async () => {
    const port = Number(new URL(provider.issuer).port);
    const before = await fetch(`${provider.issuer}/jwks`).then(
      (r) => r.json() as Promise<{ keys: { kid: string }[] }>,
    );
    await provider.stop();
    provider = await startTestProvider({ redirect: [CALLBACK], accounts: accountsFile, port });
    const after = await fetch(`${provider.issuer}/jwks`).then(
      (r) => r.json() as Promise<{ keys: { kid: string }[] }>,
    );
    expect(after.keys[0]!.kid).not.toBe(before.keys[0]!.kid);
    const { client } = await ssoClient("mei");
    expect((await client.get("/api/connections")).status).toBe(200);
  });

  it("records sign-ins in the audit log", async () => {
    const log = await admin.get<{ entries: { username: string; action: string; result: string }[] }>(
      "/api/audit?action=auth.sso",
    );
    expect(log.body.entries.map((e) => e.username)).toEqual(expect.arrayContaining(["mei", "root", "ken"]));
  });
});
