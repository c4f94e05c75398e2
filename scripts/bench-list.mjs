#!/usr/bin/env node
// `npm run bench:list`: browsing a folder of BENCH_KEYS objects (default 100,000) through our API against a
// direct ListObjectsV2 of the SDK in the same run: time to the first page, the rate of a full walk (pages
// of 1,000), and the app server's memory before and after. Prints figures; asserts nothing.
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  directClient,
  rssMiB,
  seededBucket,
  startBenchApp,
  withS3,
  launchBenchBrowser,
} from "./bench-common.mjs";

const N = Number(process.env.BENCH_KEYS ?? 100_000);
const PREFIX = "images/";
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

await withS3(async (s3) => {
  const keys = Array.from({ length: N }, (_, i) => `${PREFIX}${String(i).padStart(7, "0")}.jpg`);
  const bucket = await seededBucket(s3, `bench-list-${N}`, keys);
  const client = directClient(s3);

  async function directWalk() {
    const start = process.hrtime.bigint();
    let first = 0;
    let count = 0;
    let token;
    do {
      const out = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: PREFIX,
          Delimiter: "/",
          MaxKeys: 1000,
          ContinuationToken: token,
        }),
      );
      if (!first) first = seconds(start);
      count += out.Contents?.length ?? 0;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return { first, total: seconds(start), count };
  }

  const app = await startBenchApp(s3);
  try {
    async function apiWalk() {
      const start = process.hrtime.bigint();
      let first = 0;
      let count = 0;
      let cursor = null;
      do {
        const params = new URLSearchParams({ connection: app.connection, prefix: PREFIX, limit: "1000" });
        if (cursor) params.set("cursor", cursor);
        const page = await (
          await fetch(`${app.base}/api/buckets/${bucket}/objects?${params}`, { headers: app.headers })
        ).json();
        if (!first) first = seconds(start);
        count += page.objects.length;
        cursor = page.nextCursor;
      } while (cursor);
      return { first, total: seconds(start), count };
    }
    await apiWalk(); // warm-up: the route's code is loaded on first use
    await directWalk();
    const before = rssMiB(app.pid);
    const direct = await directWalk();
    const ours = await apiWalk();
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssMiB(app.pid);

    // The page: load every row of the folder ("Load more" to the end), then scroll from top to bottom and
    // time the frames. A virtualized list keeps the DOM small however many rows are loaded.
    const browser = await launchBenchBrowser();
    let ui;
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name, value] = app.headers.cookie.split("=");
      await context.addCookies([{ name, value, url: app.base }]);
      const page = await context.newPage();
      const loadStart = process.hrtime.bigint();
      await page.goto(
        `${app.base}/buckets/${bucket}/${PREFIX.replace(/\/$/, "")}?connection=${app.connection}`,
      );
      const more = page.getByRole("button", { name: "Load more" });
      const end = page.getByText(/^End of list/);
      for (let i = 0; i < 1000 && !(await end.isVisible()); i++) {
        await more.or(end).first().waitFor();
        if (await more.isVisible()) await more.click();
      }
      await end.waitFor({ timeout: 120_000 });
      const loadSeconds = seconds(loadStart);
      ui = await page.evaluate(async () => {
        const scroller = document.querySelector('[role="grid"] .overflow-auto');
        const rows = () => document.querySelectorAll('[role="row"][data-row]').length;
        const frames = [];
        let last = performance.now();
        const rowsBefore = rows();
        while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
          scroller.scrollTop += 4000;
          await new Promise((r) => requestAnimationFrame(() => r()));
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        frames.sort((a, b) => a - b);
        const total = Number(document.querySelector('[role="grid"]').getAttribute("aria-rowcount"));
        return {
          total,
          rowsInDom: Math.max(rowsBefore, rows()),
          frames: frames.length,
          median: frames[Math.floor(frames.length / 2)],
          p95: frames[Math.floor(frames.length * 0.95)],
          max: frames[frames.length - 1],
        };
      });
      ui.loadSeconds = loadSeconds;
    } finally {
      await browser.close();
    }
    process.stdout.write(
      [
        "",
        `Browsing a folder of ${N} objects (Ceph RGW on loopback, pages of 1,000)`,
        `  first page: ours ${(ours.first * 1000).toFixed(0)} ms, direct ListObjectsV2 ${(direct.first * 1000).toFixed(0)} ms, ratio direct/ours ${(direct.first / ours.first).toFixed(2)}`,
        `  full walk: ours ${(ours.count / ours.total).toFixed(0)} objects/s (${ours.count} in ${ours.total.toFixed(2)} s), direct ${(direct.count / direct.total).toFixed(0)} objects/s, ratio ours/direct ${(direct.total / ours.total).toFixed(2)}`,
        `  app server RSS: before ${before.rss.toFixed(0)} MiB, after ${after.rss.toFixed(0)} MiB`,
        `  page (Chromium): ${ui.total} rows loaded in ${ui.loadSeconds.toFixed(1)} s ("Load more" to the end); ${ui.rowsInDom} row elements in the DOM;`,
        `    scrolling top to bottom, ${ui.frames} frames: median ${ui.median.toFixed(1)} ms, 95th percentile ${ui.p95.toFixed(1)} ms, worst ${ui.max.toFixed(1)} ms`,
        "",
      ].join("\n"),
    );
  } finally {
    await app.stop();
  }
});
