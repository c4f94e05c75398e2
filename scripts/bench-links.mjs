#!/usr/bin/env node
// `npm run bench:links`: presigned links per second for a folder of BENCH_KEYS objects (default 100,000),
// end to end through our API into the CSV export, beside a plain getSignedUrl loop of the AWS SDK over the
// same keys in the same run, and the app server's memory (warm, after one export, after a second).
// Prints figures; asserts nothing. Traffic stays on loopback.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { directClient, rssMiB, seededBucket, startBenchApp, withS3 } from "./bench-common.mjs";

const N = Number(process.env.BENCH_KEYS ?? 100_000);
const PREFIX = "bench/";

await withS3(async (s3) => {
  const keys = Array.from({ length: N }, (_, i) => `${PREFIX}${String(i).padStart(7, "0")}.jpg`);
  const bucket = await seededBucket(s3, `bench-links-${N}`, keys);
  const client = directClient(s3);

  // Reference: the SDK's own presigner over the same keys, in this process.
  const refStart = process.hrtime.bigint();
  for (const key of keys)
    await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 3600 });
  const refSeconds = Number(process.hrtime.bigint() - refStart) / 1e9;

  const app = await startBenchApp(s3);
  try {
    /** One export: POST /presign for the folder, then the streamed CSV, read to the end. */
    async function exportOnce(prefix) {
      const started = process.hrtime.bigint();
      const link = await (
        await fetch(`${app.base}/api/buckets/${bucket}/presign?connection=${app.connection}`, {
          method: "POST",
          headers: app.headers,
          body: JSON.stringify({ prefix, method: "GET", expiresIn: 3600 }),
        })
      ).json();
      const res = await fetch(`${app.base}/api/links/${link.link.id}/export?format=csv`, {
        headers: app.headers,
      });
      let lines = -1; // the header line
      const decoder = new TextDecoder();
      for await (const chunk of res.body)
        lines += (decoder.decode(chunk, { stream: true }).match(/\n/g) ?? []).length;
      return { rows: lines, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    }
    // Warm up: the first request of each route loads and compiles its code; that is not per-link memory.
    await exportOnce(`${PREFIX}000000`);
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssMiB(app.pid);
    let peak = before.rss;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(app.pid).rss)), 50);
    const { rows, seconds } = await exportOnce(PREFIX);
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssMiB(app.pid);
    // A second full export: memory that grew per link would grow again here; bounded memory levels off.
    await exportOnce(PREFIX);
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 1000));
    const afterSecond = rssMiB(app.pid);

    const ours = rows / seconds;
    const ref = N / refSeconds;
    process.stdout.write(
      [
        "",
        `Presigned links for a folder of ${N} objects (Ceph RGW on loopback)`,
        `  ours (API → streamed CSV, listing included): ${rows} links in ${seconds.toFixed(2)} s = ${ours.toFixed(0)} links/s`,
        `  reference (SDK getSignedUrl loop, no listing): ${N} links in ${refSeconds.toFixed(2)} s = ${ref.toFixed(0)} links/s`,
        `  ratio ours/reference: ${(ours / ref).toFixed(2)}`,
        `  app server RSS: warm ${before.rss.toFixed(0)} MiB, after one export ${after.rss.toFixed(0)} MiB, after a second ${afterSecond.rss.toFixed(0)} MiB (peak ${peak.toFixed(0)} MiB)`,
        "",
      ].join("\n"),
    );
  } finally {
    await app.stop();
  }
});
