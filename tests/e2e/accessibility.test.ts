import { PutBucketCorsCommand } from "@aws-sdk/client-s3";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, E2E_ADMIN, setupViaApi } from "../helpers/e2e";
import { createTestBucket, directClient, removeTestBucket, seedObjects } from "../helpers/s3";

jest.setTimeout(240_000);

// An automated accessibility check (axe-core) of the main pages, in both languages and in both themes: no
// serious or critical violation. And the getting-started path shows one language end to end.

let app: AppServer;
let browser: Browser;
let bucket: string;
let connection: string;
let sharePath: string;
let requestPath: string;

beforeAll(async () => {
  [app, browser, bucket] = await Promise.all([startApp(), launchBrowser(), createTestBucket()]);
  await seedObjects(
    bucket,
    ["datasets/a.jpg", "datasets/b.jpg", "code/train.py", "readme.md"].map((k) => [k, k]),
  );
  const context = await newContext(browser);
  const page = await context.newPage();
  await setupViaApi(page, app);
  connection = await addConnectionViaApi(page, app);
  const link = await page.request.post(`${app.url}/api/buckets/${bucket}/presign?connection=${connection}`, {
    headers: { origin: app.url },
    data: { key: "readme.md", method: "GET", expiresIn: 3600 },
  });
  if (link.status() !== 201) throw new Error(`link: ${link.status()}`);
  await directClient().send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [app.url],
            AllowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
            AllowedHeaders: ["*"],
            ExposeHeaders: ["ETag"],
          },
        ],
      },
    }),
  );
  const made = async (data: Record<string, unknown>) => {
    const r = await page.request.post(`${app.url}/api/buckets/${bucket}/shares?connection=${connection}`, {
      headers: { origin: app.url },
      data: { expiresIn: 3600, ...data },
    });
    if (r.status() !== 201) throw new Error(`share: ${r.status()} ${await r.text()}`);
    return ((await r.json()) as { path: string }).path;
  };
  sharePath = await made({ kind: "download", prefix: "datasets/", code: "Code1234" });
  requestPath = await made({ kind: "upload", prefix: "incoming/", maxFiles: 10, extensions: ["jpg"] });
  await context.close();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (bucket) await removeTestBucket(bucket);
});

async function serious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const cases = [
  { locale: "en-US", messages: en, theme: "light" },
  { locale: "zh-CN", messages: zh, theme: "dark" },
] as const;

describe.each(cases)("in $locale with the $theme theme", ({ locale, messages, theme }) => {
  it("login, home, buckets, a bucket, access keys (with sharing), links, teams and audit pass axe", async () => {
    const context = await newContext(browser, locale);
    await context.addCookies([{ name: "obm_theme", value: theme, url: app.url }]);
    const page = await context.newPage();
    const found: string[] = [];

    await page.goto(`${app.url}/login`);
    await page.getByRole("button", { name: messages.auth.signIn }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe(locale === "en-US" ? "en" : "zh-CN");
    expect(await page.locator("html").getAttribute("class")).toBe(theme);
    found.push(...(await serious(page)).map((v) => `login: ${v}`));

    const signIn = await page.request.post(`${app.url}/api/auth/login`, {
      headers: { origin: app.url },
      data: E2E_ADMIN,
    });
    expect(signIn.ok()).toBe(true);
    const pages: [string, string][] = [
      ["home", "/"],
      ["buckets", "/buckets"],
      ["bucket", `/buckets/${bucket}?connection=${connection}`],
      ["access-keys", "/access-keys"],
      ["links", "/links"],
      ["teams", "/teams"],
      ["audit", "/audit"],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${app.url}${path}`);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.waitForLoadState("networkidle");
      found.push(...(await serious(page)).map((v) => `${name}: ${v}`));
    }
    // The sharing section of an access key, open.
    await page.goto(`${app.url}/access-keys`);
    await page
      .getByRole("button", { name: messages.sharing.toggleNamed.replace("{name}", "Local RGW") })
      .click();
    await page
      .getByRole("form", { name: messages.sharing.addNamed.replace("{name}", "Local RGW") })
      .waitFor();
    found.push(...(await serious(page)).map((v) => `sharing: ${v}`));

    // Share pages: the owner's list and dialog, and the pages outsiders see (locked, then open).
    await page.goto(`${app.url}/shares`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    found.push(...(await serious(page)).map((v) => `shares: ${v}`));
    await page.goto(`${app.url}/buckets/${bucket}/datasets/?connection=${connection}`);
    await page.getByRole("button", { name: messages.objects.shareFolder }).click();
    await page.getByRole("dialog").waitFor();
    found.push(...(await serious(page)).map((v) => `share dialog: ${v}`));
    const visitor = await (await newContext(browser, locale)).newPage();
    await visitor.context().addCookies([{ name: "obm_theme", value: theme, url: app.url }]);
    await visitor.goto(`${app.url}${sharePath}`);
    await visitor.getByLabel(messages.publicShare.codeLabel).fill("Code1234");
    found.push(...(await serious(visitor)).map((v) => `share page, locked: ${v}`));
    await visitor.getByRole("button", { name: messages.publicShare.open }).click();
    await visitor.getByRole("table").waitFor();
    found.push(...(await serious(visitor)).map((v) => `share page: ${v}`));
    await visitor.goto(`${app.url}${requestPath}`);
    await visitor.getByRole("button", { name: messages.publicUpload.pickFiles, exact: true }).waitFor();
    await visitor.waitForLoadState("networkidle");
    found.push(...(await serious(visitor)).map((v) => `upload request: ${v}`));
    await visitor.context().close();
    expect(found).toEqual([]);
    await context.close();
  });

  it("the getting-started path is in one language end to end", async () => {
    const context = await newContext(browser, locale);
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByLabel(messages.auth.username).fill(E2E_ADMIN.username);
    await page.getByLabel(messages.auth.password, { exact: true }).fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: messages.auth.signIn }).click();
    await page.getByRole("heading", { level: 1, name: messages.home.title }).waitFor();
    // The steps follow the real state: a key, a bucket with data; the obs:// path not copied yet.
    const progress = (done: number) =>
      messages.home.progress.replace("{done}", String(done)).replace("{total}", "4");
    await page.getByText(progress(3)).waitFor();
    await page.goto(`${app.url}/buckets/${bucket}?connection=${connection}`);
    await page.getByRole("button", { name: messages.objects.copyObs }).click();
    await page.goto(`${app.url}/`);
    await page.getByText(progress(4)).waitFor();

    const nav = page.getByRole("navigation", { name: messages.nav.label });
    for (const [key, heading] of [
      ["buckets", messages.buckets.title],
      ["accessKeys", messages.accessKeys.title],
      ["links", messages.links.title],
    ] as const) {
      await nav.getByRole("link", { name: messages.nav[key] }).click();
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    }
    // No English left on a Chinese page (apart from names that are the same in both: OBS, ModelArts, …).
    if (locale === "zh-CN") {
      await nav.getByRole("link", { name: messages.nav.home }).click();
      await page.getByRole("heading", { level: 1, name: messages.home.title }).waitFor();
      const text = await page.locator("main").innerText();
      for (const english of [en.home.title, en.nav.buckets, en.common.cancel])
        expect(text).not.toContain(english);
    }
    await context.close();
  });
});
