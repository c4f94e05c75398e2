import { DeleteObjectCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { archiveStore } from "../helpers/archive-store";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, E2E_ADMIN, setupViaApi } from "../helpers/e2e";
import { directClient, removeTestBucket, testS3, uniqueBucketName } from "../helpers/s3";

jest.setTimeout(180_000);

// Folder download into a folder on disk (the origin-private file system stands in for the folder picker),
// the versions views of a versioned bucket, and archived objects' restore against a store that answers with
// each restore state.

let app: AppServer;
let browser: Browser;
let page: Page;
let connection: string;
const buckets: string[] = [];
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const context = await newContext(browser);
  // The directory picker opens a folder of the origin-private file system: same API, no dialog.
  await context.addInitScript(() => {
    (
      window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }
    ).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle("picked", { create: true });
  });
  page = await context.newPage();
  await setupViaApi(page, app);
  connection = await addConnectionViaApi(page, app);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const b of buckets) await removeTestBucket(b).catch(() => undefined);
});

async function newBucket(prefix: string) {
  const name = uniqueBucketName(prefix);
  const r = await page.request.post(`${app.url}/api/buckets?connection=${connection}`, {
    headers: { origin: app.url },
    data: { name, browserUploads: true },
  });
  if (r.status() !== 201) throw new Error(`bucket: ${r.status()} ${await r.text()}`);
  buckets.push(name);
  return name;
}

/** Every file under the picked folder: path → sha256. */
function pickedFiles(): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const out: Record<string, string> = {};
    const walk = async (dir: FileSystemDirectoryHandle, path: string) => {
      for await (const [name, h] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>) {
        if (h.kind === "directory") await walk(h as FileSystemDirectoryHandle, `${path}${name}/`);
        else {
          const buf = await (await (h as FileSystemFileHandle).getFile()).arrayBuffer();
          const digest = await crypto.subtle.digest("SHA-256", buf);
          out[path + name] = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
        }
      }
    };
    const root = await (
      await navigator.storage.getDirectory()
    ).getDirectoryHandle("picked", { create: true });
    await walk(root, "");
    return out;
  });
}

describe("folder download", () => {
  it("writes a folder's files into the picked folder; after an interrupted run, a second one fetches only what is missing", async () => {
    const bucket = await newBucket("dl");
    const expected: Record<string, string> = {};
    await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const rel = `${i % 3 === 0 ? "sub/" : ""}${i % 5 === 0 ? "sub/deep/" : ""}f${i}.bin`;
        const body = randomBytes(i === 0 ? 3 * 1024 * 1024 : 1000 + i * 100);
        expected[`data/${rel}`] = sha(body);
        await directClient().send(
          new PutObjectCommand({ Bucket: bucket, Key: `set/data/${rel}`, Body: body }),
        );
      }),
    );
    await page.goto(`${app.url}/buckets/${bucket}/set?connection=${connection}`);
    const grid = page.getByRole("grid", { name: `Contents of ${bucket}/set/` });
    await grid.getByRole("checkbox", { name: "Select data" }).check();
    // The first run meets a line that drops every request for the sub-folder: those files fail.
    const inSub = Object.keys(expected).filter((k) => k.startsWith("data/sub/"));
    await page.route(/\/set\/data\/sub\//, (r) => r.abort("connectionreset"));
    await page.getByRole("button", { name: "Download", exact: true }).click();
    const panel = page.getByRole("region", { name: "Downloads" });
    await panel.getByText("Finished").waitFor();
    await panel.getByRole("button", { name: `${inSub.length} files failed` }).click();
    await panel.getByText("the network failed three times", { exact: false }).first().waitFor();
    await page.unrouteAll();
    const got = await pickedFiles();
    expect(Object.keys(got).sort()).toEqual(
      Object.keys(expected)
        .filter((k) => !inSub.includes(k))
        .sort(),
    );

    // The second run fetches only what is missing, and skips what is there with the same size.
    const stores: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("x-id=GetObject")) stores.push(new URL(r.url()).pathname);
    });
    await panel.getByRole("button", { name: "Dismiss data" }).click();
    await page.getByRole("button", { name: "Download", exact: true }).click();
    await panel.getByText(`24 of 24 files (${24 - inSub.length} already there)`, { exact: false }).waitFor();
    await panel.getByText("Finished").waitFor();
    expect(stores.sort()).toEqual(inSub.map((k) => `/${bucket}/set/${k}`).sort());
    expect(await pickedFiles()).toEqual(expected);
    await panel.getByRole("button", { name: "Dismiss data" }).click();
  });
});

describe("folder download as a zip", () => {
  it("where the browser has no folder picker, streams one zip with every file of the selection", async () => {
    const bucket = await newBucket("zip");
    const expected: Record<string, string> = {};
    for (const [i, rel] of ["a.txt", "sub/b.bin", "sub/deeper/c 空格.bin"].entries()) {
      const body = randomBytes(i === 1 ? 2 * 1024 * 1024 : 5000 + i);
      expected[`pack/${rel}`] = sha(body);
      await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: `pack/${rel}`, Body: body }));
    }
    const context = await newContext(browser);
    await context.addInitScript(() => {
      delete (Window.prototype as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker;
      delete (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker;
    });
    const zipPage = await context.newPage();
    const signIn = await zipPage.request.post(`${app.url}/api/auth/login`, {
      headers: { origin: app.url },
      data: E2E_ADMIN,
    });
    expect(signIn.status()).toBe(200);
    await zipPage.goto(`${app.url}/buckets/${bucket}?connection=${connection}`);
    const grid = zipPage.getByRole("grid", { name: `Contents of ${bucket}/` });
    await grid.getByRole("checkbox", { name: "Select pack" }).check();
    const saved = zipPage.waitForEvent("download");
    await zipPage.getByRole("button", { name: "Download", exact: true }).click();
    const file = await saved;
    expect(file.suggestedFilename()).toBe("pack.zip");
    const { readFile } = await import("node:fs/promises");
    const { unzipSync } = await import("fflate");
    const entries = unzipSync(new Uint8Array(await readFile(await file.path())));
    expect(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, sha(v)]))).toEqual(expected);
    await zipPage.getByRole("region", { name: "Downloads" }).getByText("Finished").waitFor();
    await context.close();
  });
});

describe("versions", () => {
  it("lists deleted items and brings them back, and restores an older version from the details", async () => {
    const bucket = await newBucket("ver");
    await directClient().send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const put = (Key: string, Body: string) =>
      directClient().send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    await put("docs/a.txt", "first");
    await put("docs/a.txt", "second");
    await put("docs/b.txt", "bee");
    await directClient().send(new DeleteObjectCommand({ Bucket: bucket, Key: "docs/b.txt" }));

    await page.goto(`${app.url}/buckets/${bucket}/docs?connection=${connection}`);
    await page.getByRole("grid", { name: `Contents of ${bucket}/docs/` }).waitFor();
    // A choice made before the page is hydrated changes only the select: choose until the view follows.
    for (let i = 0; i < 10; i++) {
      await page.getByRole("combobox", { name: "Show" }).selectOption("deleted");
      if (
        await page.waitForURL(/view=deleted/, { timeout: 1500 }).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    const deleted = page.getByRole("table", { name: `Deleted items in ${bucket}/docs/` });
    await deleted.getByRole("checkbox", { name: "Select b.txt" }).check();
    await page.getByRole("button", { name: "Undelete" }).click();
    await page.getByText("1 item undeleted.").waitFor();

    await page.getByRole("combobox", { name: "Show" }).selectOption("versions");
    const all = page.getByRole("table", { name: `All versions in ${bucket}/docs/` });
    await expect(all.getByRole("row").filter({ hasText: "a.txt" }).count()).resolves.toBeGreaterThanOrEqual(
      0,
    );
    // Both versions of a.txt, and b.txt's delete marker is gone again.
    await all.getByRole("row").filter({ hasText: "a.txt" }).nth(1).waitFor();
    expect(await all.getByRole("row").filter({ hasText: "delete marker" }).count()).toBe(0);

    await page.getByRole("combobox", { name: "Show" }).selectOption("objects");
    const grid = page.getByRole("grid", { name: `Contents of ${bucket}/docs/` });
    await grid.getByRole("button", { name: "Show details of b.txt" }).waitFor();
    await grid.getByRole("button", { name: "Show details of a.txt" }).click();
    const versions = page.getByRole("table", { name: "Versions of docs/a.txt, newest first" });
    await versions.getByRole("row").nth(2).waitFor();
    await versions
      .getByRole("row")
      .nth(2)
      .getByRole("button", { name: /^Restore the version of/ })
      .click();
    await page.getByText(/is the current one again/).waitFor();
    const current = await directClient().send(
      new (await import("@aws-sdk/client-s3")).GetObjectCommand({ Bucket: bucket, Key: "docs/a.txt" }),
    );
    expect(await current.Body!.transformToString()).toBe("first");
  });
});

describe("archived objects", () => {
  it("shows each restore state and asks for a restore with the days and speed chosen", async () => {
    const store = await archiveStore([
      { key: "cold/archived.bin", size: 10, storageClass: "GLACIER" },
      { key: "cold/restoring.bin", size: 10, storageClass: "GLACIER", state: "in-progress" },
      { key: "cold/restored.bin", size: 10, storageClass: "DEEP_ARCHIVE", state: "restored" },
    ]);
    try {
      const cold = await addConnectionViaApi(page, app, { ...testS3(), endpoint: store.endpoint }, "Archive");
      await page.goto(`${app.url}/buckets/cold-bucket/cold?connection=${cold}`);
      const grid = page.getByRole("grid", { name: "Contents of cold-bucket/cold/" });
      await grid.getByRole("button", { name: "Show details of restoring.bin" }).click();
      await page.getByText("A restore is in progress.", { exact: false }).waitFor();
      await grid.getByRole("button", { name: "Show details of restored.bin" }).click();
      await page.getByText("Restored: a copy can be downloaded until", { exact: false }).waitFor();
      await grid.getByRole("button", { name: "Show details of archived.bin" }).click();
      await page.getByText("This object is in an archive class", { exact: false }).waitFor();
      await page.getByLabel("Days to keep the restored copy").fill("5");
      await page.getByLabel("Speed").selectOption("Expedited");
      await page.getByRole("button", { name: "Restore", exact: true }).click();
      await page.getByText("Restore requested.", { exact: false }).waitFor();
      expect(store.restores.at(-1)!.path).toContain("cold/archived.bin?restore");
      expect(store.restores.at(-1)!.body).toMatch(/<Days>5<\/Days>.*<Tier>Expedited<\/Tier>/s);
    } finally {
      await store.close();
    }
  });
});
