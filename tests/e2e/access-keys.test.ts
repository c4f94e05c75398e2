import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { dropFile, setupThroughUi, signInThroughUi } from "../helpers/e2e";
import { createTestBucket, listKeys, removeTestBucket, testS3 } from "../helpers/s3";

jest.setTimeout(120_000);

let app: AppServer;
let browser: Browser;
let bucket: string;

beforeAll(async () => {
  [app, browser, bucket] = await Promise.all([
    startApp({ LOG_LEVEL: "debug" }),
    launchBrowser(),
    createTestBucket(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (bucket) await removeTestBucket(bucket);
});

describe("access keys in Chromium", () => {
  it("imports a dropped credentials.csv, tests the connection and sees it work; the secret stays on the server", async () => {
    const s3 = testS3();
    const context = await newContext(browser);
    const page = await context.newPage();
    await setupThroughUi(page, app);

    await page.getByRole("link", { name: "Add an access key" }).click();
    await page.waitForURL(/\/access-keys$/);
    await page.getByRole("heading", { name: "Add an access key", level: 2 }).waitFor();

    const csv = `\uFEFFUser Name,Access Key Id,Secret Access Key\r\nml-user,${s3.accessKeyId},${s3.secretAccessKey}\r\n`;
    await dropFile(
      page,
      page.getByRole("group", { name: "Drop zone for credentials.csv" }),
      "credentials.csv",
      csv,
    );
    await page.getByRole("status").filter({ hasText: "Read credentials.csv" }).waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("ml-user");
    expect(await page.getByLabel("Access key ID (AK)").inputValue()).toBe(s3.accessKeyId);

    await page.getByRole("radio", { name: "Other S3-compatible store" }).check();
    await page.getByLabel("Region", { exact: true }).fill(s3.region);
    await page.getByLabel("Endpoint").fill(s3.endpoint);
    await page.getByLabel("Addressing").selectOption("path");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved ml-user." }).waitFor();

    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ml-user" }) });
    await card.getByLabel("Bucket to test writing to (optional)").fill(bucket);
    await card.getByRole("button", { name: "Test ml-user" }).click();
    const result = card.getByRole("status").filter({ hasText: "Works" });
    await result.waitFor();
    await result.getByText("Write a probe object").waitFor();
    await result.getByText("Delete the probe object").waitFor();
    expect(await listKeys(bucket)).toEqual([]);

    // The page never received the secret: not in the HTML, not in any script-visible state after a reload.
    await page.reload();
    await card.getByRole("status").filter({ hasText: "Works" }).waitFor();
    expect(await page.content()).not.toContain(s3.secretAccessKey);

    // Step 1 of the getting-started page is done.
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Getting started" })
      .click();
    const step1 = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: "Add an access key" }) });
    await step1.getByText("Done", { exact: true }).waitFor();

    await context.close();
    expect(app.output()).toContain("connection tested"); // debug logs really ran
    expect(app.output()).not.toContain(s3.secretAccessKey);
    const db = Buffer.concat(
      ["app.db", "app.db-wal"]
        .map((f) => path.join(app.dataDir, f))
        .filter((f) => fs.existsSync(f))
        .map((f) => fs.readFileSync(f)),
    );
    expect(db.includes(Buffer.from(s3.secretAccessKey))).toBe(false);
  });

  it("explains a malformed file and keeps the form empty", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInThroughUi(page, app);
    await page.goto(`${app.url}/access-keys`);
    await page.getByRole("button", { name: "Add access key" }).click();
    await dropFile(
      page,
      page.getByRole("group", { name: "Drop zone for credentials.csv" }),
      "notes.csv",
      "name,email\na,b\n",
    );
    await page
      .getByRole("alert")
      .filter({ hasText: 'no "Access Key Id" and "Secret Access Key" columns' })
      .waitFor();
    expect(await page.getByLabel("Access key ID (AK)").inputValue()).toBe("");
    await context.close();
  });
});
