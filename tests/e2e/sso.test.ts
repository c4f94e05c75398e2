import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { freePort, startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, setupViaApi } from "../helpers/e2e";
import { startTestProvider, type TestProvider } from "../helpers/oidc";
import { testS3 } from "../helpers/s3";
import { tempDir } from "../helpers/temp-dir";

jest.setTimeout(120_000);

// Single sign-on in Chromium through a real OpenID provider (oidc-provider, its own process on loopback):
// the person signs in with the provider, is created here in the team their group maps to, and sees only
// the access keys that team was granted; signing out offers the provider's sign-out; and when their
// session ends at the provider, the provider's back-channel logout ends it here at once.

let app: AppServer;
let provider: TestProvider;
let browser: Browser;

beforeAll(async () => {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const dir = tempDir("obm-sso-");
  const accounts = path.join(dir, "accounts.json");
  fs.writeFileSync(accounts, JSON.stringify({ mei: { groups: ["ml-vision"] } }));
  provider = await startTestProvider({
    redirect: [`${origin}/api/auth/oidc/callback`],
    accounts,
    // The provider calls the app directly (server to server), on the address the app listens on.
    backchannel: `http://127.0.0.1:${port}/api/auth/oidc/backchannel-logout`,
  });
  [app, browser] = await Promise.all([
    startApp({
      PORT: String(port),
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_SCOPES: "openid offline_access profile email groups",
      OIDC_NAME: "Lab SSO",
      OIDC_GROUP_TEAMS: "ml-vision=Vision",
      LOCAL_SIGN_IN: "admins",
    }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await provider?.stop();
});

/** The provider's own sign-in and consent pages, as a person fills them in. */
async function signInAtProvider(page: Page, login: string) {
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

describe("single sign-on in the browser", () => {
  it("signs in through the provider into the mapped team, and is signed out here when the provider says so", async () => {
    // The administrator (a local, break-glass account) prepares a team and two keys, one shared with it.
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await setupViaApi(admin, app);
    const team = await admin.request.post(`${app.url}/api/teams`, {
      headers: { origin: app.url },
      data: { name: "Vision" },
    });
    expect(team.status()).toBe(201);
    const shared = await addConnectionViaApi(admin, app, testS3(), "Vision data");
    await addConnectionViaApi(admin, app, testS3(), "Finance archive");
    const grant = await admin.request.post(`${app.url}/api/connections/${shared}/grants`, {
      headers: { origin: app.url },
      data: {
        grantee: { type: "team", id: ((await team.json()) as { id: string }).id },
        role: "viewer",
        scope: "all",
      },
    });
    expect(grant.status()).toBe(201);

    // The member signs in with the provider from the sign-in page.
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${app.url}/access-keys`);
    await page.waitForURL(/\/login/);
    // Passwords here are for administrators: the form is tucked away, the provider's button is first.
    expect(await page.getByLabel("Username").isVisible()).toBe(false);
    await page.getByRole("link", { name: "Sign in with Lab SSO" }).click();
    await page.waitForURL((u) => u.origin === provider.issuer);
    await signInAtProvider(page, "mei");
    await page.waitForURL(`${app.url}/access-keys`);
    await page.getByRole("heading", { level: 1, name: "Access keys" }).waitFor();
    await page.getByText("Shared with you by admin").waitFor();
    await page.getByRole("heading", { name: "Vision data" }).waitFor();
    expect(await page.getByRole("heading", { name: "Finance archive" }).count()).toBe(0);
    await page.goto(`${app.url}/account`);
    await page.getByText("Your account signs in with Lab SSO").waitFor();

    // The administrator sees the new user in the Vision team.
    await admin.goto(`${app.url}/teams`);
    await admin.getByRole("heading", { name: "Vision" }).waitFor();
    await admin.getByRole("list", { name: "Teams" }).getByText("mei", { exact: true }).waitFor();

    // The session ends at the provider (its own sign-out page): the provider's back-channel logout ends it
    // here at once, before any recheck.
    await page.goto(`${provider.issuer}/session/end?client_id=${provider.clientId}`);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForLoadState("networkidle");
    const me = await page.request.get(`${app.url}/api/auth/session`);
    expect(((await me.json()) as { authenticated: boolean }).authenticated).toBe(false);

    // Signing in again and out here offers the provider's sign-out too.
    await page.goto(`${app.url}/login`);
    await page.getByRole("link", { name: "Sign in with Lab SSO" }).click();
    await page.waitForURL((u) => u.origin === provider.issuer);
    await signInAtProvider(page, "mei");
    await page.waitForURL(`${app.url}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login\?signedOut=1/);
    await page.getByText("You are signed out of this console.").waitFor();
    await page.getByRole("link", { name: "Also sign out of Lab SSO" }).click();
    await page.waitForURL((u) => u.origin === provider.issuer);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL(/\/login\?signedOut=1/);

    // A failure comes back as a sentence, not a stack: the provider refused (no consent given).
    await page.goto(`${app.url}/api/auth/oidc/callback?code=forged&state=forged`);
    await page.getByText("This sign-in was started too long ago or was used already. Start again.").waitFor();

    await context.close();
    await adminContext.close();
  });
});
