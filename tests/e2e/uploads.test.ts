import AxeBuilder from "@axe-core/playwright";
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
} from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page, Worker } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, dropFolder, E2E_ADMIN, setupViaApi } from "../helpers/e2e";
import { faultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { refusingProxy } from "../helpers/method-proxy";
import {
  createTestBucket,
  directClient,
  listKeys,
  removeTestBucket,
  testS3,
  uniqueBucketName,
} from "../helpers/s3";

jest.setTimeout(240_000);

// Uploads in Chromium, straight from the page to Ceph RGW: a real folder dropped (through the DevTools
// protocol, as a person's drag would), reload and resume, cancel, a faulty line, a store that is down,
// and a bucket whose CORS blocks the page.

const MiB = 1024 * 1024;
let app: AppServer;
let appProxy: FaultProxy;
let appUrl: string;
let browser: Browser;
let dir: string;
let big: { file: string; sha: string; size: number };
const buckets: string[] = [];
const proxies: FaultProxy[] = [];

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    fs.createReadStream(file)
      .on("data", (d) => h.update(d))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", reject);
  });
}

async function storeSha(bucket: string, key: string): Promise<string> {
  const out = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const h = createHash("sha256");
  for await (const chunk of out.Body as AsyncIterable<Uint8Array>) h.update(chunk);
  return h.digest("hex");
}

function writeRandom(file: string, size: number) {
  const fd = fs.openSync(file, "w");
  for (let left = size; left > 0; left -= 8 * MiB) fs.writeSync(fd, randomBytes(Math.min(8 * MiB, left)));
  fs.closeSync(fd);
}

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1] ?? 0) / 1024;
}

async function storeUploads(bucket: string) {
  return (await directClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
}

async function partNumbers(bucket: string, key: string, uploadId: string): Promise<number[]> {
  const out = await directClient().send(
    new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
  );
  return (out.Parts ?? []).map((p) => p.PartNumber!);
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  // The page talks to the app through a counting proxy: it shows how many bytes reach the app.
  appProxy = await faultProxy(app.url.replace("localhost", "127.0.0.1"));
  appUrl = appProxy.endpoint;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-uploads-"));
  const root = path.join(dir, "dataset");
  for (let i = 0; i < 300; i++) {
    const sub = path.join(root, `class-${i % 5}`, i % 2 ? "train" : "val");
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `img-${i}.bin`), randomBytes(1000 + i * 37));
  }
  fs.writeFileSync(path.join(root, "empty.txt"), "");
  fs.mkdirSync(path.join(root, "nothing-yet"));
  const bigFile = path.join(dir, "weights-200m.bin");
  writeRandom(bigFile, 200 * MiB);
  fs.copyFileSync(bigFile, path.join(root, "weights-200m.bin"));
  big = { file: bigFile, sha: await sha256File(bigFile), size: 200 * MiB };
});
afterAll(async () => {
  await browser?.close();
  await appProxy?.close();
  await app?.stop();
  for (const p of proxies) await p.close();
  for (const b of buckets) await removeTestBucket(b).catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const site = () => ({ ...app, url: appUrl });

/** A signed-in page with a connection (to RGW, or through `proxy`) and a bucket that allows the page. */
async function prepare(opts: { proxy?: { endpoint: string }; cors?: boolean } = {}) {
  const context = await newContext(browser);
  const page = await context.newPage();
  page.on("dialog", (d) => void d.accept());
  await setupViaApi(page, site()).catch(() => undefined);
  const signIn = await page.request.post(`${appUrl}/api/auth/login`, {
    headers: { origin: appUrl },
    data: E2E_ADMIN,
  });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
  const keys = opts.proxy ? { ...testS3(), endpoint: opts.proxy.endpoint } : testS3();
  const connection = await addConnectionViaApi(page, site(), keys, `RGW ${Math.random()}`);
  let bucket: string;
  if (opts.cors === false) bucket = await createTestBucket();
  else {
    bucket = uniqueBucketName("up");
    const r = await page.request.post(`${appUrl}/api/buckets?connection=${connection}`, {
      headers: { origin: appUrl },
      data: { name: bucket, browserUploads: true },
    });
    if (r.status() !== 201) throw new Error(`bucket: ${r.status()} ${await r.text()}`);
  }
  buckets.push(bucket);
  await page.goto(`${appUrl}/buckets/${bucket}?connection=${connection}`);
  await page.getByRole("grid", { name: `Contents of ${bucket}/` }).waitFor();
  return { page, bucket, connection };
}

const panel = (page: Page) => page.getByRole("region", { name: "Transfers" });
const waitSummary = (page: Page, text: string, timeout = 180_000) =>
  panel(page).getByRole("status").filter({ hasText: text }).waitFor({ timeout });

async function pickFiles(page: Page, button: string, files: string[]) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: button }).click();
  await (await chooser).setFiles(files);
}

/** A page whose store is behind a fault proxy, and a folder of one large file and `small` small ones. */
async function overBadLine(name: string, large: number, small: number, smallBytes: number) {
  const line = await faultProxy(testS3().endpoint);
  proxies.push(line);
  const { page, bucket } = await prepare({ proxy: line });
  const files = path.join(dir, name);
  fs.mkdirSync(files);
  writeRandom(path.join(files, "large.bin"), large);
  for (let i = 0; i < small; i++) fs.writeFileSync(path.join(files, `s${i}.txt`), randomBytes(smallBytes));
  return { line, page, bucket, files };
}

/** Every file of the dropped folder is in the store, byte for byte, and no multipart upload is left. */
async function expectAllArrived(bucket: string, files: string) {
  for (const name of fs.readdirSync(files)) {
    const key = `${path.basename(files)}/${name}`;
    expect(await storeSha(bucket, key)).toBe(await sha256File(path.join(files, name)));
  }
  expect(await storeUploads(bucket)).toEqual([]);
}

describe("uploads from Chromium to the store", () => {
  it("a dropped folder: 300 nested files, an empty file, an empty folder and 200 MiB, all equal", async () => {
    const { page, bucket } = await prepare();
    const rssBefore = rssMiB(app.pid);
    const bytesBefore = appProxy.bytesUp();
    await page.getByText("This folder is empty.").waitFor(); // the first listing has answered
    const listings: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes(`/api/buckets/${bucket}/objects?`)) listings.push(r.url());
    });
    const workers: Worker[] = [];
    page.on("worker", (w) => workers.push(w));
    await dropFolder(page, path.join(dir, "dataset"));
    await waitSummary(page, "303 of 303 files uploaded");
    // Files were read and hashed off the main thread, in the page's one worker (lib/upload/digest.ts):
    // it started (the CSP allows it) and its script runs.
    expect(workers).toHaveLength(1);
    expect(await workers[0]!.evaluate(() => typeof self.onmessage)).toBe("function");

    const keys = await listKeys(bucket, "dataset/");
    const expected: string[] = [];
    const walk = (d: string, rel: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) {
          const sub = fs.readdirSync(path.join(d, e.name));
          if (sub.length === 0) expected.push(`${rel}${e.name}/`);
          walk(path.join(d, e.name), `${rel}${e.name}/`);
        } else expected.push(`${rel}${e.name}`);
      }
    };
    walk(path.join(dir, "dataset"), "dataset/");
    expect(keys.sort()).toEqual(expected.sort());
    expect(keys).toHaveLength(303);
    for (const key of expected.filter((k) => !k.endsWith("/"))) {
      const local = key === "dataset/weights-200m.bin" ? big.sha : await sha256File(path.join(dir, key));
      expect(`${key} ${await storeSha(bucket, key)}`).toBe(`${key} ${local}`);
    }
    const empty = await directClient().send(
      new HeadObjectCommand({ Bucket: bucket, Key: "dataset/empty.txt" }),
    );
    expect(empty.ContentLength).toBe(0);
    expect(await storeUploads(bucket)).toEqual([]);

    // The listing was refreshed once the drop finished, and only once for its 303 files.
    await page.getByRole("link", { name: "Open dataset" }).waitFor();
    expect(listings).toHaveLength(1);
    // No bytes went through the app: what reached it is requests for plans and signatures.
    const throughApp = appProxy.bytesUp() - bytesBefore;
    expect(throughApp).toBeLessThan(2 * MiB);
    expect(rssMiB(app.pid) - rssBefore).toBeLessThan(100);
    await page.context().close();
  });

  it("resumes after a reload, sending only the parts the store does not have", async () => {
    const slow = await faultProxy(testS3().endpoint, { bytesPerSecond: 25 * MiB });
    proxies.push(slow);
    const { page, bucket } = await prepare({ proxy: slow });
    await pickFiles(page, "Upload files", [big.file]);
    const upload = await until(async () => (await storeUploads(bucket))[0]);
    await until(async () => (await partNumbers(bucket, upload.Key!, upload.UploadId!)).length >= 3);
    await page.reload();

    await panel(page).getByText("1 unfinished uploads from an earlier visit").waitFor();
    // Parts the store was still receiving when the page went away may land a moment later: wait until
    // its list stops changing.
    let before = await partNumbers(bucket, upload.Key!, upload.UploadId!);
    for (;;) {
      await new Promise((r) => setTimeout(r, 700));
      const again = await partNumbers(bucket, upload.Key!, upload.UploadId!);
      if (again.length === before.length) break;
      before = again;
    }
    expect(before.length).toBeGreaterThanOrEqual(3);
    const sent: number[] = [];
    page.on("request", (r) => {
      const m = /[?&]partNumber=(\d+)/.exec(r.url());
      if (r.method() === "PUT" && m) sent.push(Number(m[1]));
    });
    slow.set({});
    await pickFiles(page, "Pick files to resume", [big.file]);
    await waitSummary(page, "1 of 1 files uploaded");
    expect(sent.filter((n) => before.includes(n))).toEqual([]);
    // At most the missing parts (one may still have landed from before the reload after `before` was read).
    expect(new Set(sent).size).toBe(sent.length);
    expect(before.length + sent.length).toBeLessThanOrEqual(25);
    expect(await storeSha(bucket, "weights-200m.bin")).toBe(big.sha);
    expect(await storeUploads(bucket)).toEqual([]);
    await page.context().close();
  });

  it("cancel aborts the multipart upload: nothing is left in the store", async () => {
    const slow = await faultProxy(testS3().endpoint, { bytesPerSecond: 20 * MiB });
    proxies.push(slow);
    const { page, bucket } = await prepare({ proxy: slow });
    await pickFiles(page, "Upload files", [big.file]);
    const upload = await until(async () => (await storeUploads(bucket))[0]);
    await until(async () => (await partNumbers(bucket, upload.Key!, upload.UploadId!)).length >= 1);
    // The upload goes on while the user browses elsewhere in the app; the panel comes along.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Links" }).click();
    await page.getByRole("heading", { level: 1, name: "Links" }).waitFor();
    const sent = (await partNumbers(bucket, upload.Key!, upload.UploadId!)).length;
    await until(async () => (await partNumbers(bucket, upload.Key!, upload.UploadId!)).length > sent);
    await panel(page).getByRole("button", { name: "Cancel all" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel all" }).click();
    await panel(page).getByText("1 cancelled").waitFor();
    await until(async () => (await storeUploads(bucket)).length === 0, 15_000);
    expect(await listKeys(bucket)).toEqual([]);
    await page.context().close();
  });

  it("completes through a line that resets and cuts connections, with the right bytes", async () => {
    const { line, page, bucket, files } = await overBadLine("flaky", 64 * MiB, 30, 5000);
    line.set({ resetRate: 0.1, cutFirst: 4, cutEvery: 3, cutWithin: 10 * MiB });
    await dropFolder(page, files);
    await waitSummary(page, "31 of 31 files uploaded");
    line.set({});
    expect(line.faults()).toBeGreaterThanOrEqual(3);
    await expectAllArrived(bucket, files);
    await page.context().close();
  });

  it("a connection that goes silent is given up after a minute and sent again", async () => {
    const { line, page, bucket, files } = await overBadLine("silent", 24 * MiB, 4, 3000);
    // The first two connections that carry 2 MiB (parts of the large file) go quiet mid-request and stay
    // open: only the page's watchdog (a minute without progress) ends them.
    line.set({ stallFirst: 2, stallAfter: 2 * MiB });
    await dropFolder(page, files);
    await waitSummary(page, "5 of 5 files uploaded", 200_000);
    expect(line.stalls()).toBe(2);
    await expectAllArrived(bucket, files);
    await page.context().close();
  });

  it("a store that stays down fails clearly, and the upload can be retried later", async () => {
    const store = await faultProxy(testS3().endpoint);
    proxies.push(store);
    const { page, bucket } = await prepare({ proxy: store });
    store.set({ down: true });
    const file = path.join(dir, "notes.txt");
    fs.writeFileSync(file, "experiment notes\n");
    await pickFiles(page, "Upload files", [file]);
    await waitSummary(page, "0 uploaded, 1 failed", 120_000);
    await expect(
      panel(page)
        .getByText(/could not|refused|reset|unreachable/i)
        .count(),
    ).resolves.toBeGreaterThan(0);

    store.set({});
    await panel(page).getByRole("button", { name: "Retry failed" }).click();
    await waitSummary(page, "1 of 1 files uploaded");
    expect(await listKeys(bucket)).toEqual(["notes.txt"]);
    await page.context().close();
  });

  it("the unfinished-uploads page lists, aborts one, and aborts all older than N days", async () => {
    const { page, bucket } = await prepare();
    for (const key of ["old/a.bin", "old/b.bin", "old/c.bin"]) {
      await directClient().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    }
    await page.getByRole("link", { name: "Unfinished uploads" }).click();
    await page.getByRole("heading", { level: 1, name: `Unfinished uploads in ${bucket}` }).waitFor();
    await page.getByRole("cell", { name: "old/c.bin", exact: true }).waitFor();
    expect(await page.getByRole("row").count()).toBe(4);

    await page.getByRole("button", { name: "Abort the upload of old/a.bin" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Abort" }).click();
    await page.getByText("1 uploads aborted.").waitFor();
    await until(async () => (await storeUploads(bucket)).length === 2);

    await page.getByLabel("Abort all older than").fill("0");
    await page.getByRole("button", { name: "Abort old uploads" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Abort 2 unfinished uploads started more than 0 days ago?").waitFor();
    await dialog.getByRole("button", { name: "Abort" }).click();
    await page.getByText("No unfinished uploads: nothing is stored for parts.").waitFor();
    expect(await storeUploads(bucket)).toEqual([]);
    await page.context().close();
  });

  it("re-uploading a folder with 3 changed files sends exactly those 3 (skip identical)", async () => {
    const { page, bucket } = await prepare();
    const folder = path.join(dir, "rerun");
    fs.mkdirSync(path.join(folder, "sub"), { recursive: true });
    for (let i = 0; i < 30; i++)
      fs.writeFileSync(path.join(folder, i % 3 ? "sub" : "", `f-${i}.bin`), randomBytes(5000 + i));
    await dropFolder(page, folder);
    await waitSummary(page, "30 of 30 files uploaded");

    // Three files change: two keep their size, one grows.
    fs.writeFileSync(path.join(folder, "f-0.bin"), randomBytes(5000));
    fs.writeFileSync(path.join(folder, "sub", "f-1.bin"), randomBytes(5001));
    fs.writeFileSync(path.join(folder, "sub", "f-2.bin"), randomBytes(7000));
    // Small files go as POST forms (one request to the bucket each, the key inside the form), larger ones
    // as PUTs to their key: the requests that reach the store are counted, and the changed files read back.
    const sent: string[] = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if ((r.method() === "PUT" || r.method() === "POST") && u.origin !== new URL(appUrl).origin)
        sent.push(`${r.method()} ${u.pathname}`);
    });
    await dropFolder(page, folder);
    const dialog = page.getByRole("dialog", { name: /already exists/ });
    await dialog.getByRole("checkbox").check();
    await dialog.getByRole("button", { name: "Skip identical files" }).click();
    await page
      .getByText(
        "Upload finished: 3 changed files and 0 new files sent; 27 identical files and 0 skipped files left as they were.",
      )
      .waitFor({ timeout: 60_000 });
    expect(sent).toHaveLength(3);
    expect(sent.every((r) => r.startsWith("POST "))).toBe(true);
    for (const f of ["f-0.bin", "sub/f-1.bin", "sub/f-2.bin"])
      expect(await storeSha(bucket, `rerun/${f}`)).toBe(await sha256File(path.join(folder, f)));
    await page.context().close();
  });

  it("a store that refuses POST forms gets PUTs instead, by itself, with every file in place", async () => {
    const refusing = await refusingProxy(testS3().endpoint, { method: "POST", status: 405 });
    try {
      const { page, bucket } = await prepare({ proxy: refusing });
      const folder = path.join(dir, "no-forms");
      fs.mkdirSync(folder, { recursive: true });
      for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(folder, `n-${i}.bin`), randomBytes(3000 + i));
      const methods: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "PUT" || r.method() === "POST") methods.push(r.method());
      });
      await dropFolder(page, folder);
      await waitSummary(page, "40 of 40 files uploaded");
      expect(await listKeys(bucket, "no-forms/")).toHaveLength(40);
      for (const i of [0, 17, 39])
        expect(await storeSha(bucket, `no-forms/n-${i}.bin`)).toBe(
          await sha256File(path.join(folder, `n-${i}.bin`)),
        );
      // Only the forms already on their way met the refusal; the rest went as PUTs from the start.
      expect(refusing.refused()).toBeGreaterThan(0);
      expect(refusing.refused()).toBeLessThanOrEqual(16);
      expect(methods.filter((m) => m === "PUT").length).toBe(40);
      await page.context().close();
    } finally {
      await refusing.close();
    }
  });

  it("a bucket whose CORS blocks the page: told why, fixed in one click; an existing name is asked about", async () => {
    const { page, bucket } = await prepare({ cors: false });
    const file = path.join(dir, "labels.csv");
    fs.writeFileSync(file, "image,label\n1.jpg,cat\n");
    await pickFiles(page, "Upload files", [file]);
    await panel(page).getByText(`Uploads to bucket ${bucket} are blocked`).waitFor();
    await panel(page).getByRole("button", { name: "Allow uploads from this app" }).click();
    await waitSummary(page, "1 of 1 files uploaded");
    expect(await listKeys(bucket)).toEqual(["labels.csv"]);

    await pickFiles(page, "Upload files", [file]);
    const dialog = page.getByRole("dialog", { name: "labels.csv already exists" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Keep both" }).click();
    await waitSummary(page, "2 of 2 files uploaded");
    expect((await listKeys(bucket)).sort()).toEqual(["labels (1).csv", "labels.csv"]);
    // The transfers panel passes the same accessibility check as the pages.
    const axe = await new AxeBuilder({ page }).include("section").withTags(["wcag2a", "wcag2aa"]).analyze();
    expect(
      axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
    ).toEqual([]);
    await page.context().close();
  });

  it("the pickers wait for the page: disabled in the server's HTML, enabled once it is hydrated", async () => {
    const { page } = await prepare();
    // The same page without script is what the browser shows before React takes over: a file picked then
    // would reach no one, so the buttons (and their inputs) are disabled.
    const bare = await browser.newContext({ javaScriptEnabled: false });
    await bare.addCookies(await page.context().cookies());
    const before = await bare.newPage();
    await before.goto(page.url());
    for (const name of ["Upload files", "Upload folder"]) {
      expect(await before.getByRole("button", { name }).isDisabled()).toBe(true);
      expect(await before.getByLabel(name, { exact: true }).isDisabled()).toBe(true);
      await until(() => page.getByRole("button", { name }).isEnabled(), 15_000);
      expect(await page.getByLabel(name, { exact: true }).isEnabled()).toBe(true);
    }
    await bare.close();
    await page.context().close();
  });
});
