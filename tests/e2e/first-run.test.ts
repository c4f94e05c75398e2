import type { Browser, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";

jest.setTimeout(120_000);

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("first run in Chromium", () => {
  it("creates the admin, shows the getting-started steps, signs out and back in", async () => {
    // A browser east of UTC: dates must follow its time zone once it has told the server.
    const context = await newContext(browser, "en-US", "Asia/Shanghai");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      // The one failed request we cause on purpose is the wrong password below (401).
      if (m.type() === "error" && !m.text().includes("status of 401")) errors.push(m.text());
    });

    await page.goto(app.url);
    await page.waitForURL(/\/setup$/);
    await expectHeading(page, "Create the administrator account");

    // The form explains what is wrong before anything is sent.
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Repeat password").fill("short");
    await page.getByRole("button", { name: "Create administrator" }).click();
    await page.getByText("must be at least 10 characters").waitFor();

    await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
    await page.getByLabel("Repeat password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Create administrator" }).click();

    await page.waitForURL(`${app.url}/`);
    await expectHeading(page, "Getting started");
    const steps = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 2 }) });
    expect(await steps.count()).toBe(4);
    for (const name of [
      "Add an access key",
      "Create a bucket",
      "Upload training data and code",
      "Use the obs:// path in ModelArts",
    ]) {
      await page.getByRole("heading", { name, level: 2 }).waitFor();
    }
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).waitFor();

    // The account page lists this browser's session (and settles: no request loop).
    await page.getByRole("link", { name: "Signed in as ada" }).click();
    await page.getByText("— This browser").waitFor();
    await page.getByRole("heading", { name: "Sessions" }).waitFor();

    // The session cookie is not readable from page scripts.
    expect(await page.evaluate(() => document.cookie)).not.toContain("obm_session");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login\?signedOut=1$/);
    await page.getByText("You are signed out of this console.").waitFor();
    // A page behind sign-in comes back after it.
    await page.goto(`${app.url}/buckets`);
    await page.waitForURL(/\/login\?next=%2Fbuckets$/);

    await signIn(page, "ada", "wrong password here");
    await page.getByRole("alert").filter({ hasText: "Wrong username or password." }).waitFor();
    await signIn(page, "ada", "a long enough passphrase");
    await page.waitForURL(`${app.url}/buckets`);
    await expectHeading(page, "Buckets");

    expect(errors).toEqual([]);
    expect((await context.cookies()).find((c) => c.name === "obm_tz")?.value).toBe("Asia%2FShanghai");
    await context.close();
  });

  it("serves pages with a nonce CSP, nosniff and no framing", async () => {
    const r = await fetch(`${app.url}/login`, { redirect: "manual" });
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("worker-src 'self'");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");
    expect(r.headers.get("x-powered-by")).toBeNull();
    // The image optimiser is off: it cannot be made to fetch an address for anyone.
    const image = await fetch(
      `${app.url}/_next/image?url=${encodeURIComponent("http://169.254.169.254/x.png")}&w=64&q=75`,
    );
    expect(image.status).not.toBe(200);
    // Served under a name that is not the server's own (DNS rebinding): refused.
    const port = new URL(app.url).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      import("node:http").then(({ request }) => {
        const req = request(
          { host: "127.0.0.1", port, path: "/login", headers: { host: `evil.example:${port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      }, reject);
    });
    expect(rebound).toBe(421);
  });
});

async function expectHeading(page: Page, name: string) {
  await page.getByRole("heading", { name, level: 1 }).waitFor();
}
