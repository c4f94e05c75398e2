import http from "node:http";
import type net from "node:net";
import {
  GetBucketCorsCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, E2E_ADMIN, setupViaApi } from "../helpers/e2e";
import { directClient, removeTestBucket, uniqueBucketName } from "../helpers/s3";

jest.setTimeout(120_000);

// "Allow browser uploads from this app": a page on the app's origin can PUT to a presigned URL and read the
// ETag (needed to complete multipart uploads); a page on another origin cannot.

let app: AppServer;
let browser: Browser;
let other: http.Server;
let otherUrl: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  other = http.createServer((_, res) => res.end("<!doctype html><title>elsewhere</title>"));
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  otherUrl = `http://127.0.0.1:${(other.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await new Promise((r) => other?.close(r));
});

async function putFromPage(page: Page, url: string) {
  return page.evaluate(async (u) => {
    try {
      const r = await fetch(u, { method: "PUT", body: "uploaded from a browser" });
      return { ok: r.ok, status: r.status, etag: r.headers.get("etag") };
    } catch (err) {
      return { ok: false, status: 0, etag: null, error: String(err) };
    }
  }, url);
}

describe("the browser-upload CORS rule", () => {
  it("lets this app's pages upload and read ETag, and no other origin", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const h = { origin: app.url };
    await setupViaApi(page, app);
    const connectionId = await addConnectionViaApi(page, app);
    const withRule = uniqueBucketName("cors");
    const withoutRule = uniqueBucketName("nocors");
    for (const [name, browserUploads] of [
      [withRule, true],
      [withoutRule, false],
    ] as const) {
      const r = await page.request.post(`${app.url}/api/buckets?connection=${connectionId}`, {
        headers: h,
        data: { name, browserUploads },
      });
      expect(r.status()).toBe(201);
    }
    const presign = (bucket: string, key: string) =>
      getSignedUrl(directClient(), new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });

    // On the app's own origin: allowed, and the ETag is readable.
    await page.goto(`${app.url}/login`);
    const mine = await putFromPage(page, await presign(withRule, "from-app.txt"));
    expect(mine).toMatchObject({ ok: true, status: 200 });
    expect(mine.etag).toMatch(/^"[0-9a-f]{32}"$/);
    await directClient().send(new HeadObjectCommand({ Bucket: withRule, Key: "from-app.txt" }));

    // Same page, a bucket without the rule: the browser refuses.
    expect((await putFromPage(page, await presign(withoutRule, "no-rule.txt"))).ok).toBe(false);

    // Another origin, the bucket with the rule: refused, and nothing was written.
    await page.goto(otherUrl);
    const theirs = await putFromPage(page, await presign(withRule, "from-elsewhere.txt"));
    expect(theirs.ok).toBe(false);
    await expect(
      directClient().send(new HeadObjectCommand({ Bucket: withRule, Key: "from-elsewhere.txt" })),
    ).rejects.toThrow();
    await context.close();
  });

  it("a rule from before POST forms is offered the update, and the update allows POST", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await setupViaApi(page, app).catch(() => undefined);
    await page.request.post(`${app.url}/api/auth/login`, {
      headers: { origin: app.url },
      data: E2E_ADMIN,
    });
    const connectionId = await addConnectionViaApi(page, app, undefined, "RGW old rule");
    const bucket = uniqueBucketName("oldcors");
    expect(
      (
        await page.request.post(`${app.url}/api/buckets?connection=${connectionId}`, {
          headers: { origin: app.url },
          data: { name: bucket, browserUploads: false },
        })
      ).status(),
    ).toBe(201);
    await directClient().send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              ID: "obs-bucket-manager-browser-uploads",
              AllowedOrigins: [app.url],
              AllowedMethods: ["GET", "PUT", "DELETE", "HEAD"],
              AllowedHeaders: ["*"],
              ExposeHeaders: ["ETag"],
            },
          ],
        },
      }),
    );
    await page.goto(`${app.url}/bucket-settings/${bucket}?connection=${connectionId}`);
    await page.getByText("Uploads work, but small files go slower").waitFor();
    await page.getByRole("button", { name: "Update the rule" }).click();
    await page.getByText("Browser uploads from this app are allowed.").waitFor();
    const cors = await directClient().send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(cors.CORSRules?.flatMap((r) => r.AllowedMethods ?? [])).toContain("POST");
    await removeTestBucket(bucket);
    await context.close();
  });
});
