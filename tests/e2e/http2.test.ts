import { GetObjectCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, dropFolder, E2E_ADMIN, setupViaApi } from "../helpers/e2e";
import { directClient, listKeys, removeTestBucket, testS3, uniqueBucketName } from "../helpers/s3";
import { countingProxy, type MethodProxy } from "../helpers/method-proxy";
import { startTlsFront, type TlsFront } from "../helpers/tls-front";

jest.setTimeout(240_000);

// Uploads over HTTP/2: the store behind a TLS front (nginx) that speaks h2, as OBS and most S3 services do.
// The page reads the protocol from resource timing and lifts its ceiling of requests in flight; forms,
// parts, Content-MD5 and completion work the same. The app server reaches the store through the same front.
// Behind nginx, a counting proxy sees how many of the page's requests reached the store at once: over
// HTTP/1.1 a page gets six connections to a host, so more than six at once can only be HTTP/2 at work.

let counter: MethodProxy;
let front: TlsFront;
let app: AppServer;
let browser: Browser;
let dir: string;
const buckets: string[] = [];

beforeAll(async () => {
  counter = await countingProxy(testS3().endpoint);
  front = await startTlsFront(counter.endpoint);
  app = await startApp({ NODE_EXTRA_CA_CERTS: front.certFile });
  browser = await launchBrowser([front.chromiumFlag]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-h2-"));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await front?.stop();
  await counter?.close();
  for (const b of buckets) await removeTestBucket(b).catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Buffer | Uint8Array) => createHash("sha256").update(b).digest("hex");

async function storeSha(bucket: string, key: string) {
  const out = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return sha(await out.Body!.transformToByteArray());
}

async function signedInPage(): Promise<{ page: Page; bucket: string }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await setupViaApi(page, app).catch(() => undefined);
  const signIn = await page.request.post(`${app.url}/api/auth/login`, {
    headers: { origin: app.url },
    data: E2E_ADMIN,
  });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
  const connection = await addConnectionViaApi(
    page,
    app,
    { ...testS3(), endpoint: front.endpoint },
    "RGW h2",
  );
  const bucket = uniqueBucketName("h2");
  const r = await page.request.post(`${app.url}/api/buckets?connection=${connection}`, {
    headers: { origin: app.url },
    data: { name: bucket, browserUploads: true },
  });
  if (r.status() !== 201) throw new Error(`bucket: ${r.status()} ${await r.text()}`);
  buckets.push(bucket);
  await page.goto(`${app.url}/buckets/${bucket}?connection=${connection}`);
  await page.getByRole("grid", { name: `Contents of ${bucket}/` }).waitFor();
  return { page, bucket };
}

describe("uploads over HTTP/2 through a TLS front", () => {
  it("a folder of small files and a large one lands byte for byte, over h2, with more than six at the store at once", async () => {
    const { page, bucket } = await signedInPage();
    const folder = path.join(dir, "h2-set");
    fs.mkdirSync(folder);
    const files = new Map<string, Buffer>();
    for (let i = 0; i < 400; i++) files.set(`s-${i}.bin`, randomBytes(4000 + i));
    files.set("large.bin", randomBytes(40 * 1024 * 1024));
    for (const [name, body] of files) fs.writeFileSync(path.join(folder, name), body);

    const storeOrigin = new URL(front.endpoint).origin;
    const methods = new Set<string>();
    page.on("request", (r) => {
      if (r.url().startsWith(storeOrigin) && r.method() !== "OPTIONS") methods.add(r.method());
    });

    await dropFolder(page, folder);
    await page
      .getByRole("region", { name: "Transfers" })
      .getByRole("status")
      .filter({ hasText: "401 of 401 files uploaded" })
      .waitFor({ timeout: 180_000 });

    expect(await listKeys(bucket, "h2-set/")).toHaveLength(401);
    for (const name of ["s-0.bin", "s-199.bin", "s-399.bin", "large.bin"])
      expect(await storeSha(bucket, `h2-set/${name}`)).toBe(sha(files.get(name)!));
    const open = await directClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(open.Uploads ?? []).toEqual([]);

    // The store answered over h2, and the page could see it (the front sends Timing-Allow-Origin).
    const protocols: string[] = await page.evaluate(
      (origin) =>
        performance
          .getEntriesByType("resource")
          .filter((e) => e.name.startsWith(origin))
          .map((e) => (e as PerformanceResourceTiming).nextHopProtocol),
      storeOrigin,
    );
    expect(protocols.length).toBeGreaterThan(0);
    expect(new Set(protocols)).toEqual(new Set(["h2"]));
    // Small files as POST forms, the large one in PUT parts; and more than HTTP/1.1's six reached the store
    // at once: the engine lifted its ceiling and the browser multiplexed them.
    expect([...methods].sort()).toEqual(["POST", "PUT"]);
    const most = counter.mostInFlight();
    process.stdout.write(`HTTP/2 upload: at most ${most} of the page's requests at the store at once\n`);
    expect(most).toBeGreaterThan(6);
    await page.context().close();
  });
});
