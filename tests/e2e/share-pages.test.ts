import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, setupViaApi } from "../helpers/e2e";
import { faultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { directClient, removeTestBucket, testS3, uniqueBucketName } from "../helpers/s3";

jest.setTimeout(240_000);

// Share pages and upload requests in Chromium against Ceph RGW. The owner makes them in the console; the
// other side is a fresh browser context with no session, as someone who only got the link.

const MiB = 1024 * 1024;
let app: AppServer;
let browser: Browser;
let owner: BrowserContext;
let page: Page;
let connection: string;
let bucket: string;
let dir: string;
const proxies: FaultProxy[] = [];
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  owner = await newContext(browser);
  page = await owner.newPage();
  await setupViaApi(page, app);
  connection = await addConnectionViaApi(page, app, testS3(), "Lab key");
  bucket = uniqueBucketName("pages");
  const created = await page.request.post(`${app.url}/api/buckets?connection=${connection}`, {
    headers: { origin: app.url },
    data: { name: bucket, browserUploads: true },
  });
  expect(created.status()).toBe(201);
  const put = (Key: string, Body: string | Buffer) =>
    directClient().send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
  await put("datasets/cats/notes.txt", "whiskers and paws\n");
  await put("datasets/cats/data.bin", randomBytes(300_000));
  await put("datasets/cats/sub/deep.txt", "deeper");
  await put("datasets/dogs/private.txt", "not shared");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-pages-"));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const p of proxies) await p.close();
  if (bucket) await removeTestBucket(bucket).catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Makes a share page or upload request through the console's dialog; returns its address and code. */
async function makeShare(
  at: string,
  button: "Share this folder" | "Request files",
  fill?: (p: Page) => Promise<void>,
) {
  await page.goto(`${app.url}/buckets/${bucket}/${at}?connection=${connection}`);
  await page.getByRole("button", { name: button }).click();
  const dialog = page.getByRole("dialog");
  await fill?.(page);
  await dialog.getByRole("button", { name: /Create (share page|upload request)/ }).click();
  const address = await dialog.getByRole("textbox", { name: "Page address" }).inputValue();
  const codeBox = dialog.getByRole("textbox", { name: "Access code" });
  const code = (await codeBox.count()) > 0 ? await codeBox.inputValue() : "";
  await dialog.getByRole("button", { name: "Done" }).click();
  return { address, code };
}

async function outsider(): Promise<Page> {
  const context = await newContext(browser);
  return context.newPage();
}

describe("a folder shared with an access code", () => {
  it("asks for the code, throttles guessing, lists, previews and downloads; revoking ends it at once", async () => {
    const { address, code } = await makeShare("datasets/cats/", "Share this folder");
    expect(address).toMatch(new RegExp(`^${app.url}/s/[A-Za-z0-9_-]{43}$`));
    expect(code).toMatch(/^[A-Za-z0-9]{6}$/);

    const visitor = await outsider();
    await visitor.goto(address);
    await visitor.getByRole("heading", { name: "cats" }).waitFor();
    await visitor.getByLabel("Access code").fill("wrong1");
    await visitor.getByRole("button", { name: "Open" }).click();
    await visitor.getByText(/That access code is not right/).waitFor();
    await visitor.getByLabel("Access code").fill(code);
    await visitor.getByRole("button", { name: "Open" }).click();

    const table = visitor.getByRole("table", { name: "Files and folders" });
    await table.getByRole("cell", { name: "notes.txt", exact: true }).waitFor();
    await expect(table.getByRole("cell", { name: "data.bin", exact: true }).count()).resolves.toBe(1);
    expect(await visitor.getByText("private.txt").count()).toBe(0);

    // Preview (text, fetched by the browser from the store) and download with equal bytes.
    await visitor.getByRole("button", { name: "Preview notes.txt" }).click();
    await visitor.getByRole("dialog").getByText("whiskers and paws").waitFor();
    await visitor.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    const downloading = visitor.waitForEvent("download");
    await visitor.getByRole("button", { name: "Download data.bin" }).click();
    const file = await (await downloading).path();
    const stored = await directClient().send(
      new GetObjectCommand({ Bucket: bucket, Key: "datasets/cats/data.bin" }),
    );
    expect(sha(fs.readFileSync(file))).toBe(sha(Buffer.from(await stored.Body!.transformToByteArray())));

    // Into the sub-folder and back: only inside the share.
    await visitor.getByRole("button", { name: /sub/ }).click();
    await table.getByRole("cell", { name: "deep.txt", exact: true }).waitFor();
    await visitor.getByRole("button", { name: "Top" }).click();
    await table.getByRole("cell", { name: "notes.txt", exact: true }).waitFor();

    // Someone else guessing from the same place: refused, then throttled.
    const guesser = await outsider();
    await guesser.goto(address);
    for (let i = 0; i < 6; i++) {
      await guesser.getByLabel("Access code").fill(`guess${i}`);
      await guesser.getByRole("button", { name: "Open" }).click();
      await guesser.getByRole("button", { name: "Open" }).isEnabled();
      await guesser.waitForTimeout(150);
    }
    await guesser.getByText(/Too many wrong access codes/).waitFor();

    // The owner sees the counts and revokes it.
    await page.goto(`${app.url}/shares`);
    const card = page.getByRole("listitem").filter({ hasText: `${bucket}/datasets/cats/` });
    await card.getByText(/1 download/).waitFor();
    await card.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await card.getByText("Revoked.").waitFor();

    const download = await visitor.request.post(address.replace("/s/", "/api/public/shares/") + "/download", {
      headers: { origin: app.url },
      data: { key: "notes.txt" },
    });
    expect(download.status()).toBe(410);
    await visitor.reload();
    await visitor.getByRole("heading", { name: "This link does not work" }).waitFor();
    await visitor.getByText("The owner stopped sharing this.").waitFor();
  });
});

describe("an upload request", () => {
  it("takes a folder from an outsider within its limits, names nothing over, and closes", async () => {
    const { address } = await makeShare("", "Request files", async (p) => {
      await p.getByLabel("Ask for an access code").uncheck();
      await p.getByLabel("Largest file, in MiB").fill("1");
      await p.getByLabel("Only these file types").fill("txt, csv");
    });
    const folder = path.join(dir, "batch");
    fs.mkdirSync(path.join(folder, "labels"), { recursive: true });
    fs.writeFileSync(path.join(folder, "a.txt"), "first");
    fs.writeFileSync(path.join(folder, "labels", "b.csv"), "x,y\n1,2\n");
    fs.writeFileSync(path.join(folder, "big.txt"), randomBytes(2 * MiB));
    fs.writeFileSync(path.join(folder, "run.exe"), "MZ");

    const visitor = await outsider();
    await visitor.goto(address);
    await visitor.getByText("Each file at most 1 MiB").waitFor();
    await visitor.getByLabel(/Your name or a name for this batch/).fill("vendor-a");
    const chooser = visitor.waitForEvent("filechooser");
    await visitor.getByRole("button", { name: "Choose a folder" }).click();
    await (await chooser).setFiles(folder);

    const refused = visitor.getByRole("alert").filter({ hasText: "2 files were left out" });
    await refused.getByText(/big\.txt: larger than 1 MiB/).waitFor();
    await refused.getByText(/run\.exe: only \.txt, \.csv files are accepted/).waitFor();
    const sent = visitor.getByRole("table", { name: "Files you sent in this browser" });
    await sent.getByRole("cell", { name: "batch/a.txt" }).waitFor();
    await sent.getByRole("cell", { name: "batch/labels/b.csv" }).waitFor();
    await expect(sent.getByRole("cell", { name: "received" }).count()).resolves.toBe(2);
    // The outsider's page hashed the files in its worker, as the console does (lib/upload/digest.ts).
    expect(visitor.workers()).toHaveLength(1);

    const keys = await directClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "vendor-a/" }));
    expect((keys.Contents ?? []).map((o) => o.Key).sort()).toEqual([
      "vendor-a/batch/a.txt",
      "vendor-a/batch/labels/b.csv",
    ]);

    // The same folder again: kept beside the first, never over it.
    fs.rmSync(path.join(folder, "big.txt"));
    fs.rmSync(path.join(folder, "run.exe"));
    const again = visitor.waitForEvent("filechooser");
    await visitor.getByRole("button", { name: "Choose a folder" }).click();
    await (await again).setFiles(folder);
    await sent.getByText("A file of that name was there already: kept as a (1).txt").waitFor();

    // The owner sees what arrived, and closes the request.
    await page.goto(`${app.url}/shares`);
    const card = page.getByRole("listitem").filter({ hasText: "Upload request" }).first();
    await card.getByText(/4 files received/).waitFor();
    await card.getByRole("button", { name: "Show received files" }).click();
    await card.getByRole("cell", { name: "vendor-a/batch/a (1).txt" }).waitFor();
    await card.getByRole("button", { name: "Close request" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Close request" }).click();
    await card.getByText("Closed.").waitFor();

    await visitor.reload();
    await visitor.getByText("This upload request was closed: it takes no more files.").waitFor();
  });

  it("resumes a large file after a reload, from the parts the store already has", async () => {
    // A connection whose store is behind a slow line, so the reload comes mid-upload.
    const slow = await faultProxy(testS3().endpoint, { bytesPerSecond: 6 * MiB });
    proxies.push(slow);
    const slowConnection = await addConnectionViaApi(
      page,
      app,
      { ...testS3(), endpoint: slow.endpoint },
      "Slow key",
    );
    const r = await page.request.post(
      `${app.url}/api/buckets/${bucket}/shares?connection=${slowConnection}`,
      {
        headers: { origin: app.url },
        data: { kind: "upload", prefix: "incoming/", expiresIn: 3600 },
      },
    );
    expect(r.status()).toBe(201);
    const address = `${app.url}${((await r.json()) as { path: string }).path}`;
    const big = path.join(dir, "weights.bin");
    const data = randomBytes(64 * MiB); // 8 parts, sent 4 at a time
    fs.writeFileSync(big, data);

    const visitor = await outsider();
    await visitor.goto(address);
    const chooser = visitor.waitForEvent("filechooser");
    await visitor.getByRole("button", { name: "Choose files" }).click();
    await (await chooser).setFiles(big);
    // Wait until the store holds the first parts (they land together, four at a time), then reload.
    const partsInStore = async () => {
      const uploads = await directClient().send(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "incoming/" }),
      );
      const u = uploads.Uploads?.[0];
      if (!u) return [];
      const parts = await directClient().send(
        new ListPartsCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
      );
      return (parts.Parts ?? []).map((p) => p.PartNumber!);
    };
    const deadline = Date.now() + 60_000;
    while ((await partsInStore()).length < 1) {
      if (Date.now() > deadline) {
        const uploads = await directClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
        throw new Error(
          `the store never held a part of the upload: ${JSON.stringify(uploads.Uploads)} ${await visitor.locator("main").innerText()}`,
        );
      }
      await visitor.waitForTimeout(200);
    }
    // Reload, and cut the line at once: bytes the proxy still holds from before would otherwise trickle on
    // and complete parts after the page went away.
    await visitor.reload({ waitUntil: "commit" });
    slow.dropAll();
    await visitor.getByText(/1 unfinished uploads? from an earlier visit/).waitFor();
    const before = await partsInStore();
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(8);
    const resent: number[] = [];
    visitor.on("request", (req) => {
      const m = /[?&]partNumber=(\d+)/.exec(req.url());
      if (req.method() === "PUT" && m) resent.push(Number(m[1]));
    });
    slow.set({});
    const again = visitor.waitForEvent("filechooser");
    await visitor.getByRole("button", { name: "Pick files to resume" }).click();
    await (await again).setFiles(big);
    const sent = visitor.getByRole("table", { name: "Files you sent in this browser" });
    await sent.getByRole("cell", { name: "received" }).waitFor({ timeout: 60_000 });
    expect(resent.filter((n) => before.includes(n))).toEqual([]);
    expect(before.length + new Set(resent).size).toBe(8);
    const key = `incoming/${new Date().toISOString().slice(0, 10)}/weights.bin`;
    const stored = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(sha(Buffer.from(await stored.Body!.transformToByteArray()))).toBe(sha(data));
  });
});
