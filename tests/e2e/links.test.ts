import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { Browser } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, setupViaApi } from "../helpers/e2e";
import { createTestBucket, directClient, removeTestBucket } from "../helpers/s3";

jest.setTimeout(120_000);

let app: AppServer;
let browser: Browser;
let bucket: string;

beforeAll(async () => {
  [app, browser, bucket] = await Promise.all([startApp(), launchBrowser(), createTestBucket()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (bucket) await removeTestBucket(bucket);
});

describe("links in Chromium", () => {
  it("makes a 1-hour download link for a file, opens it and gets the file", async () => {
    const content = "epoch,loss\n1,0.42\n2,0.31\n";
    await directClient().send(
      new PutObjectCommand({ Bucket: bucket, Key: "results/metrics.csv", Body: content }),
    );
    const context = await newContext(browser);
    const page = await context.newPage();
    await setupViaApi(page, app);
    await addConnectionViaApi(page, app);

    await page.goto(`${app.url}/links`);
    await page.getByText("A presigned link cannot be revoked").waitFor();
    const form = page.getByRole("form", { name: "Make a link" });
    await form.getByRole("combobox", { name: "Bucket" }).fill(bucket);
    await form.getByLabel("Object key (path in the bucket)").fill("results/metrics.csv");
    await form.getByRole("radio", { name: "1 hour" }).check();

    // Beyond 7 days is explained before anything is sent.
    await form.getByRole("radio", { name: "Custom" }).check();
    await form.getByLabel("Duration").fill("8");
    await form.getByLabel("Unit").selectOption("days");
    await form.getByText("At most 7 days").waitFor();
    await form.getByRole("radio", { name: "1 hour" }).check();

    await form.getByRole("button", { name: "Make link" }).click();
    await page.getByText("Link ready.").waitFor();
    const url = await page.getByLabel("Link", { exact: true }).inputValue();
    expect(url).toContain("X-Amz-Expires=3600");

    // Opening the link downloads the file, straight from the store.
    const download = page.waitForEvent("download");
    await page.evaluate((u) => {
      const a = document.createElement("a");
      a.href = u;
      document.body.appendChild(a);
      a.click();
    }, url);
    const file = await download;
    expect(file.suggestedFilename()).toBe("metrics.csv");
    const path = await file.path();
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(path, "utf8")).toBe(content);

    // The link is listed, with its expiry, and can be copied again.
    const row = page.getByRole("row").filter({ hasText: "results/metrics.csv" });
    await row.getByText(/in (59|60) minutes/).waitFor();
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await row.getByRole("button", { name: "Copy again" }).click();
    await row.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await context.close();
  });
});
