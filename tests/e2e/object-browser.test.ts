import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { Browser } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, setupViaApi, signInThroughUi } from "../helpers/e2e";
import { createTestBucket, directClient, listKeys, removeTestBucket } from "../helpers/s3";

jest.setTimeout(120_000);

let app: AppServer;
let browser: Browser;
let bucket: string;

beforeAll(async () => {
  [app, browser, bucket] = await Promise.all([startApp(), launchBrowser(), createTestBucket()]);
  const s3 = directClient();
  const keys = [
    "datasets/cats/cat-001.jpg",
    "datasets/cats/cat-002.jpg",
    "datasets/cats/cat-003.jpg",
    "datasets/cats/kitten-001.jpg",
    "datasets/dogs/dog-001.jpg",
    "datasets/训练 标签/label 1.txt",
    "code/train.py",
    "readme.md",
  ];
  for (const key of keys)
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(key) }));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (bucket) await removeTestBucket(bucket);
});

describe("object browser in Chromium", () => {
  it("navigates by click and by URL, goes back, filters, selects and copies the obs:// path", async () => {
    const context = await newContext(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page = await context.newPage();
    await setupViaApi(page, app);
    await addConnectionViaApi(page, app);

    await page.goto(`${app.url}/buckets`);
    await page.getByRole("link", { name: bucket, exact: true }).click();
    const grid = (path: string) => page.getByRole("grid", { name: `Contents of ${path}` });
    await grid(`${bucket}/`).getByRole("link", { name: "Open datasets" }).waitFor();
    await page.getByText("End of list: 2 folders, 1 object.").waitFor();

    // Into a folder by click, then deeper.
    await grid(`${bucket}/`).getByRole("link", { name: "Open datasets" }).click();
    await grid(`${bucket}/datasets/`).getByRole("link", { name: "Open cats" }).click();
    await page.waitForURL(new RegExp(`/buckets/${bucket}/datasets/cats\\?`));
    await page.getByText("End of list: 0 folders, 4 objects.").waitFor();
    await page
      .getByRole("navigation", { name: "Folder path" })
      .getByRole("link", { name: "datasets" })
      .waitFor();

    // Back, then straight to a folder with spaces and Chinese by URL.
    await page.goBack();
    await grid(`${bucket}/datasets/`).getByRole("link", { name: "Open dogs" }).waitFor();
    await page.goto(`${app.url}/buckets/${bucket}/datasets/${encodeURIComponent("训练 标签")}`);
    await grid(`${bucket}/datasets/训练 标签/`).getByRole("row").filter({ hasText: "label 1.txt" }).waitFor();

    // Filter on the server; the filter goes into the URL.
    await page.goto(`${app.url}/buckets/${bucket}/datasets/cats`);
    await page.getByLabel("Filter by name").fill("cat-");
    await page.waitForURL(/filter=cat-/);
    await page.getByText("End of list: 0 folders, 3 objects.").waitFor();

    // Select the three by keyboard: first row, Space, Shift+Down twice.
    const rows = grid(`${bucket}/datasets/cats/`)
      .getByRole("row")
      .filter({ has: page.getByRole("checkbox") });
    await rows.first().focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Shift+ArrowDown");
    await page.keyboard.press("Shift+ArrowDown");
    await page.getByText("3 items selected").waitFor();
    for (const name of ["cat-001.jpg", "cat-002.jpg", "cat-003.jpg"]) {
      expect(await page.getByRole("checkbox", { name: `Select ${name}` }).isChecked()).toBe(true);
    }

    await page.getByRole("button", { name: "Copy obs:// path" }).click();
    await page.getByText(`Copied obs://${bucket}/datasets/cats/`).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`obs://${bucket}/datasets/cats/`);

    // Delete the three: a count first, then the delete, then one refresh of the listing.
    await page.getByRole("button", { name: "Delete…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 3 items" });
    await dialog.getByText("This deletes 3 objects").waitFor();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.getByText("Deleted 3 objects.").waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await page.getByText("Nothing here starts with “cat-”.").waitFor();
    expect((await listKeys(bucket, "datasets/cats/")).sort()).toEqual(["datasets/cats/kitten-001.jpg"]);

    // A new folder, as the console makes it.
    await page.getByRole("button", { name: "New folder" }).click();
    await page.getByLabel("Folder name").fill("augmented");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.getByText("Folder augmented was created.").waitFor();
    await context.close();
  });

  it("shows details and previews without running HTML or SVG in the app's origin", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInThroughUi(page, app);
    // A bucket made through the app, so it allows this app's pages to read (CORS) for previews.
    const conns = await (await page.request.get(`${app.url}/api/connections`)).json();
    const connectionId = conns.connections[0].id as string;
    const name = `preview-${Date.now()}`;
    expect(
      (
        await page.request.post(`${app.url}/api/buckets?connection=${connectionId}`, {
          headers: { origin: app.url },
          data: { name },
        })
      ).status(),
    ).toBe(201);
    const s3 = directClient();
    const files: Record<string, string> = {
      "evil.html": "<html><body><script>window.__pwned = 'html'</script><h1>hi</h1></body></html>",
      "evil.svg": `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned='svg'"><script>window.__pwned='svg2'</script></svg>`,
      "metrics.csv": "epoch,loss\n1,0.42\n2,0.31\n",
      "notes.jsonl": '{"source":"s3://b/x.jpg","label":"cat"}\n{"source":"s3://b/y.jpg","label":"dog"}\n',
    };
    for (const [key, body] of Object.entries(files)) {
      await s3.send(
        new PutObjectCommand({
          Bucket: name,
          Key: key,
          Body: Buffer.from(body),
          ContentType: key.endsWith("html")
            ? "text/html"
            : key.endsWith("svg")
              ? "image/svg+xml"
              : "text/plain",
        }),
      );
    }
    await page.goto(`${app.url}/buckets/${name}`);
    const grid = page.getByRole("grid", { name: `Contents of ${name}/` });

    await grid.getByRole("button", { name: "Show details of evil.html" }).click();
    const details = page.getByRole("region", { name: "Details of evil.html" });
    await details.getByText("Shown as text").waitFor();
    await details.getByText("<script>window.__pwned = 'html'</script>", { exact: false }).waitFor();
    await details.getByText("text/html").waitFor();

    await grid.getByRole("button", { name: "Show details of evil.svg" }).click();
    await page
      .getByRole("region", { name: "Details of evil.svg" })
      .getByText("onload=", { exact: false })
      .waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();

    await grid.getByRole("button", { name: "Show details of metrics.csv" }).click();
    const csv = page.getByRole("region", { name: "Details of metrics.csv" });
    await csv.getByRole("columnheader", { name: "loss" }).waitFor();
    await csv.getByRole("cell", { name: "0.31" }).waitFor();

    const download = page.waitForEvent("download");
    await csv.getByRole("button", { name: "Download" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("metrics.csv");
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(await file.path(), "utf8")).toBe(files["metrics.csv"]);

    await grid.getByRole("button", { name: "Show details of notes.jsonl" }).click();
    await page
      .getByRole("region", { name: "Details of notes.jsonl" })
      .getByText('"label":"dog"', { exact: false })
      .waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();

    // Rename: a move within the folder, confirmed before the original goes.
    await page.getByRole("button", { name: "Close details" }).click();
    await grid.getByRole("checkbox", { name: "Select metrics.csv" }).check();
    await page.getByRole("button", { name: "Rename…" }).click();
    const dialog = page.getByRole("dialog", { name: "Rename metrics.csv" });
    await dialog.getByLabel("New name").fill("metrics-v2.csv");
    await dialog.getByRole("button", { name: "Start" }).click();
    await dialog.getByText("1 object done.").waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await grid.getByRole("button", { name: "Show details of metrics-v2.csv" }).waitFor();
    expect((await listKeys(name, "metrics")).sort()).toEqual(["metrics-v2.csv"]);
    await context.close();
  });

  it("opens, links and deletes the right object for keys with ., .., empty segments and odd encodings", async () => {
    const s3 = directClient();
    const odd = [
      "odd/../x.txt",
      "odd/./dot.txt",
      "odd//twin.txt",
      "odd/%2e%2e/enc.txt",
      "odd/a%2Fb.txt",
      "x.txt",
    ];
    for (const key of odd)
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(key) }));
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInThroughUi(page, app);
    const grid = (path: string) => page.getByRole("grid", { name: `Contents of ${path}` });

    await page.goto(`${app.url}/buckets/${bucket}/odd`);
    const folder = grid(`${bucket}/odd/`);
    for (const name of ["..", ".", "(no name)", "%2e%2e"])
      await folder.getByRole("link", { name: `Open ${name}`, exact: true }).waitFor();
    await folder.getByRole("button", { name: "Show details of a%2Fb.txt" }).waitFor();

    // "..": addressed with ?prefix=, so the browser cannot resolve it away; it lists odd/../, not the root.
    await folder.getByRole("link", { name: "Open ..", exact: true }).click();
    await page.waitForURL(/\?.*prefix=odd%2F..%2F/);
    await grid(`${bucket}/odd/../`).getByRole("button", { name: "Show details of x.txt" }).click();
    const details = page.getByRole("region", { name: "Details of x.txt" });
    await details.getByText("odd/../x.txt", { exact: true }).waitFor();
    await details.getByText("Browsers rewrite such addresses").waitFor();

    // A link made for it is for that object: sent as is (as curl --path-as-is does), it gives its bytes.
    const conns = await (await page.request.get(`${app.url}/api/connections`)).json();
    const link = await page.request.post(
      `${app.url}/api/buckets/${bucket}/presign?connection=${conns.connections[0].id}`,
      {
        headers: { origin: app.url },
        data: { key: "odd/../x.txt", method: "GET", expiresIn: 300 },
      },
    );
    const signed = ((await link.json()) as { links: { url: string }[] }).links[0]!.url;
    const url = new URL(signed);
    // The path exactly as signed (new URL() would resolve the "..").
    const rawPath = signed.slice(url.origin.length);
    expect(rawPath).toContain("/odd/../x.txt");
    const http = await import("node:http");
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: url.hostname, port: url.port, path: rawPath }, (res) => {
          let data = "";
          res.on("data", (d: Buffer) => (data += d.toString()));
          res.on("end", () => resolve(`${res.statusCode} ${data}`));
        })
        .on("error", reject);
    });
    expect(body).toBe("200 odd/../x.txt");

    // The empty-named folder: its object deleted, and only that one.
    await page.goto(`${app.url}/buckets/${bucket}/odd`);
    await grid(`${bucket}/odd/`).getByRole("link", { name: "Open (no name)" }).click();
    const twin = grid(`${bucket}/odd//`);
    await twin.getByRole("checkbox", { name: "Select twin.txt" }).check();
    await page.getByRole("button", { name: "Delete…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 1 item" });
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.getByText("Deleted 1 object.").waitFor();
    expect((await listKeys(bucket, "odd/")).sort()).toEqual([
      "odd/%2e%2e/enc.txt",
      "odd/../x.txt",
      "odd/./dot.txt",
      "odd/a%2Fb.txt",
    ]);
    expect(await listKeys(bucket, "x.txt")).toEqual(["x.txt"]);

    // A malformed address is a "not found" page, not an error.
    const bad = await page.goto(`${app.url}/buckets/${bucket}/%E0%A4%A`);
    expect(bad?.status()).toBe(404);
    await context.close();
  });
});
