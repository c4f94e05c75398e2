import { ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, setupViaApi, signInThroughUi } from "../helpers/e2e";
import { faultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { directClient, removeTestBucket, testS3, uniqueBucketName } from "../helpers/s3";
import { tempDir } from "../helpers/temp-dir";

jest.setTimeout(120_000);

// The records that let an upload resume after a reload live in the browser (IndexedDB). They belong to the
// user who started the upload: signing out removes them, and the next person on the same browser neither
// sees nor resumes them.

const MiB = 1024 * 1024;
const OTHER = { username: "second", password: "the second person's passphrase" };
let app: AppServer;
let browser: Browser;
let slow: FaultProxy;
let bucket: string;
let file: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  slow = await faultProxy(testS3().endpoint, { bytesPerSecond: 4 * MiB });
  file = path.join(tempDir("obm-records-"), "big.bin");
  fs.writeFileSync(file, randomBytes(40 * MiB));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await slow?.close();
  if (bucket) await removeTestBucket(bucket).catch(() => undefined);
});

const records = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open("obm-uploads");
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("multipart")) return resolve(0);
          const count = db.transaction("multipart").objectStore("multipart").count();
          count.onsuccess = () => resolve(count.result);
        };
        open.onerror = () => resolve(-1);
      }),
  );

describe("upload-resume records in the browser", () => {
  it("belong to the signed-in user and are gone after sign-out", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await setupViaApi(page, app);
    const connection = await addConnectionViaApi(page, app, { ...testS3(), endpoint: slow.endpoint });
    bucket = uniqueBucketName("rec");
    const made = await page.request.post(`${app.url}/api/buckets?connection=${connection}`, {
      headers: { origin: app.url },
      data: { name: bucket, browserUploads: true },
    });
    expect(made.status()).toBe(201);
    const user = await page.request.post(`${app.url}/api/users`, {
      headers: { origin: app.url },
      data: OTHER,
    });
    expect(user.status()).toBe(201);

    await page.goto(`${app.url}/buckets/${bucket}?connection=${connection}`);
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Upload files" }).click();
    await (await chooser).setFiles([file]);
    for (let i = 0; i < 100; i++) {
      const out = await directClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      if ((out.Uploads ?? []).length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // The page writes its record just after the store created the upload: wait for it, not only the store.
    for (let i = 0; i < 100 && (await records(page)) < 1; i++) await new Promise((r) => setTimeout(r, 100));
    await page.reload();
    await page.getByText("1 unfinished uploads from an earlier visit").waitFor();
    expect(await records(page)).toBe(1);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    expect(await records(page)).toBe(0);

    await signInThroughUi(page, app, OTHER);
    await page.goto(`${app.url}/buckets`);
    await page.getByRole("heading", { level: 1, name: "Buckets" }).waitFor();
    expect(await page.getByText("unfinished uploads from an earlier visit").count()).toBe(0);
    await context.close();
  });
});
