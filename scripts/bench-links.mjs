#!/usr/bin/env node
// `npm run bench:links`: presigned links per second for a folder of BENCH_KEYS objects (default 100,000),
// end to end through our API into the CSV export, beside a plain getSignedUrl loop of the AWS SDK over the
// same keys in the same run, and the app server's memory before, at its peak, and after.
// Starts its own Ceph RGW (or uses S3_TEST_ENDPOINT + keys) and its own app server; prints figures, asserts
// nothing. Traffic stays on loopback.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { freePort, startS3Server, stopS3Server } from "./s3-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.env.BENCH_KEYS ?? 100_000);
const PREFIX = "bench/";

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const get = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: get("VmRSS"), peak: get("VmHWM") };
}

async function main() {
  let s3dir;
  let s3 = process.env.S3_TEST_ENDPOINT
    ? {
        endpoint: process.env.S3_TEST_ENDPOINT,
        accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID,
        secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY,
        region: process.env.S3_TEST_REGION ?? "us-east-1",
      }
    : undefined;
  if (!s3) {
    s3 = await startS3Server();
    s3dir = s3.dir;
  }
  let app;
  try {
    const client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    // On a server of your own (S3_TEST_ENDPOINT), a bucket seeded by an earlier run is used again.
    const bucket = s3dir ? `bench-links-${Date.now()}` : `bench-links-${N}`;
    const keys = Array.from({ length: N }, (_, i) => `${PREFIX}${String(i).padStart(7, "0")}.jpg`);
    const seeded = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => true,
      () => false,
    );
    if (!seeded) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      process.stdout.write(`Seeding ${N} objects…\n`);
      let next = 0;
      const seedStart = Date.now();
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < keys.length)
            await client.send(new PutObjectCommand({ Bucket: bucket, Key: keys[next++], Body: "x" }));
        }),
      );
      process.stdout.write(`Seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
    }

    // Reference: the SDK's own presigner over the same keys, in this process.
    const refStart = process.hrtime.bigint();
    for (const key of keys)
      await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 3600 });
    const refSeconds = Number(process.hrtime.bigint() - refStart) / 1e9;

    // Ours: the app server, through POST /presign and the streamed CSV export.
    spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"], {
      stdio: "inherit",
    });
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-"));
    app = spawn(process.execPath, [path.join(root, "scripts", "start.mjs"), "--no-build"], {
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        ALLOW_PRIVATE_ENDPOINTS: "true",
        LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const h = { origin: base, "content-type": "application/json" };
    const setup = await fetch(`${base}/api/auth/setup`, {
      method: "POST",
      headers: h,
      body: JSON.stringify({ username: "bench", password: "benchmark password" }),
    });
    const cookie = setup.headers.get("set-cookie").split(";")[0];
    const conn = await (
      await fetch(`${base}/api/connections`, {
        method: "POST",
        headers: { ...h, cookie },
        body: JSON.stringify({
          name: "rgw",
          provider: "s3",
          region: s3.region,
          endpoint: s3.endpoint,
          addressing: "path",
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        }),
      })
    ).json();
    /** One export: POST /presign for the folder, then the streamed CSV, read to the end. */
    async function exportOnce(prefix) {
      const started = process.hrtime.bigint();
      const link = await (
        await fetch(`${base}/api/buckets/${bucket}/presign?connection=${conn.id}`, {
          method: "POST",
          headers: { ...h, cookie },
          body: JSON.stringify({ prefix, method: "GET", expiresIn: 3600 }),
        })
      ).json();
      const res = await fetch(`${base}/api/links/${link.link.id}/export?format=csv`, { headers: { cookie } });
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
    let peakDuring = before.rss;
    const sampler = setInterval(() => (peakDuring = Math.max(peakDuring, rssMiB(app.pid).rss)), 50);
    const { rows, seconds: oursSeconds } = await exportOnce(PREFIX);
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssMiB(app.pid);
    // A second full export: if memory grew per link, it would grow again here; bounded memory plateaus.
    await exportOnce(PREFIX);
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 1000));
    const afterSecond = rssMiB(app.pid);

    const ours = rows / oursSeconds;
    const ref = N / refSeconds;
    process.stdout.write(
      [
        "",
        `Presigned links for a folder of ${N} objects (Ceph RGW on loopback)`,
        `  ours (API → streamed CSV, listing included): ${rows} links in ${oursSeconds.toFixed(2)} s = ${ours.toFixed(0)} links/s`,
        `  reference (SDK getSignedUrl loop, no listing): ${N} links in ${refSeconds.toFixed(2)} s = ${ref.toFixed(0)} links/s`,
        `  ratio ours/reference: ${(ours / ref).toFixed(2)}`,
        `  app server RSS: warm ${before.rss.toFixed(0)} MiB, after one export ${after.rss.toFixed(0)} MiB, after a second ${afterSecond.rss.toFixed(0)} MiB (peak ${peakDuring.toFixed(0)} MiB)`,
        "",
      ].join("\n"),
    );
  } finally {
    if (app && app.exitCode === null) app.kill("SIGTERM");
    if (s3dir) await stopS3Server(s3dir);
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
