// Upload benchmark: one 1 GiB file and a folder of 2,000 files of 64 KiB, uploaded through the app in
// Chromium (the page signs with the app and sends the bytes straight to the store) and with the AWS CLI
// (`aws s3 cp`), against the same S3 server in the same run. Prints MiB/s, files/s and our ratio to the CLI
// (above 1.0: we are faster). Asserts nothing.
//
// Beside them, a bare page that sends the same presigned PUTs with no app (bench-bare-page.mjs): what the
// browser itself costs. Chromium is driven without DevTools network instrumentation (bench-cdp.mjs), as a
// user's browser runs, and the CPU seconds of each party (store, browser, app, CLI) are printed, since on a
// small machine they all share the same cores.
//
//   npm run bench:upload                 BENCH_ROUNDS=2 (best of), BENCH_BIG_MIB=1024, BENCH_SMALL_FILES=2000
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuSeconds, rssMiB, s3Pids, startBenchApp, withS3 } from "./bench-common.mjs";
import { bareUpload } from "./bench-bare-page.mjs";
import { launchLeanChromium } from "./bench-cdp.mjs";

const MiB = 1024 * 1024;
const BIG_MIB = Number(process.env.BENCH_BIG_MIB ?? 1024);
const SMALL = Number(process.env.BENCH_SMALL_FILES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function findAws() {
  for (const candidate of ["/usr/bin/aws", "aws"]) {
    const r = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (r.status === 0) return { bin: candidate, version: (r.stdout || r.stderr).trim() };
  }
  throw new Error("The AWS CLI is needed as the reference: apt-get install awscli");
}

function makeFiles(dir) {
  const big = path.join(dir, "big.bin");
  const fd = fs.openSync(big, "w");
  const chunk = randomBytes(8 * MiB);
  for (let i = 0; i < BIG_MIB / 8; i++) {
    chunk.writeUInt32LE(i, 0); // every chunk differs a little, nothing dedups
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  const small = path.join(dir, "small");
  for (let i = 0; i < SMALL; i++) {
    const sub = path.join(small, `d${i % 20}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}.bin`), randomBytes(64 * 1024));
  }
  return { big, small };
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

await withS3(async (s3) => {
  const aws = findAws();
  const app = await startBenchApp(s3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-upload-"));
  const browser = await launchLeanChromium();
  try {
    const newBucket = async () => {
      const name = `bench-up-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
      const r = await fetch(`${app.base}/api/buckets?connection=${app.connection}`, {
        method: "POST",
        headers: app.headers,
        body: JSON.stringify({ name, browserUploads: true }),
      });
      if (r.status !== 201) throw new Error(`bucket: ${r.status} ${await r.text()}`);
      return name;
    };

    // Buckets first: writing the files takes longer than the server keeps an idle connection open.
    const buckets = [];
    for (let i = 0; i < 4 * ROUNDS; i++) buckets.push(await newBucket());
    process.stdout.write(`Writing ${BIG_MIB} MiB and ${SMALL} × 64 KiB files…\n`);
    const files = makeFiles(dir);

    // CPU seconds by party, summed over the rounds, to show where the time goes.
    const cpu = { ours: {}, bare: {}, cli: {} };
    const account = (side, kind, before, after) => {
      for (const [k, v] of Object.entries(after)) {
        const key = `${kind} ${k}`;
        cpu[side][key] = (cpu[side][key] ?? 0) + v - before[k];
      }
    };
    const storePids = s3Pids(s3);
    const usage = () => ({
      store: cpuSeconds(storePids),
      browser: cpuSeconds([browser.pid]),
      app: cpuSeconds([app.pid]),
      cli: cpuSeconds([process.pid], { waitedChildren: true }),
    });

    const ours = async (kind) => {
      const bucket = buckets.pop();
      const [name, value] = app.headers.cookie.split("=");
      const page = await browser.open(`${app.base}/buckets/${bucket}?connection=${app.connection}`, [
        { name, value },
      ]);
      await page.waitFor(`document.querySelector('[role="grid"]') !== null`);
      const n = kind === "big" ? 1 : SMALL;
      const done = `${n.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} files uploaded`;
      const before = usage();
      const start = process.hrtime.bigint();
      await page.setFiles(
        `input[type="file"][aria-label="${kind === "big" ? "Upload files" : "Upload folder"}"]`,
        [kind === "big" ? files.big : files.small],
      );
      await page.waitFor(
        `[...document.querySelectorAll('section [role="status"]')].some((e) => e.textContent.includes(${JSON.stringify(done)}))`,
        600_000,
      );
      const t = seconds(start);
      account("ours", kind, before, usage());
      await page.close();
      drop(bucket);
      return t;
    };

    const bare = async (kind) => {
      const bucket = buckets.pop();
      const before = usage();
      const source = kind === "big" ? files.big : files.small;
      const t = await bareUpload({ browser, s3, origin: app.base, bucket, kind, source });
      account("bare", kind, before, usage());
      drop(bucket);
      return t;
    };

    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_DEFAULT_REGION: s3.region,
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const run = (args) => {
      const r = spawnSync(aws.bin, ["--endpoint-url", s3.endpoint, ...args], { env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`aws ${args.join(" ")}: ${r.stderr}`);
    };
    // The test server keeps objects in memory: each bucket is removed once measured.
    const drop = (bucket) => run(["s3", "rb", "--force", `s3://${bucket}`]);

    const cli = (kind) => {
      const bucket = `bench-cli-${Date.now()}`;
      run(["s3", "mb", `s3://${bucket}`]);
      const before = usage();
      const start = process.hrtime.bigint();
      if (kind === "big") run(["s3", "cp", "--only-show-errors", files.big, `s3://${bucket}/big.bin`]);
      else run(["s3", "cp", "--only-show-errors", "--recursive", files.small, `s3://${bucket}/small/`]);
      const t = seconds(start);
      account("cli", kind, before, usage());
      drop(bucket);
      return t;
    };

    const rssBefore = rssMiB(app.pid);
    const best = {};
    const keep = (name, t) => (best[name] = Math.min(best[name] ?? Infinity, t));
    for (let round = 1; round <= ROUNDS; round++) {
      keep("cliBig", cli("big"));
      keep("oursBig", await ours("big"));
      keep("bareBig", await bare("big"));
      keep("cliSmall", cli("small"));
      keep("oursSmall", await ours("small"));
      keep("bareSmall", await bare("small"));
      process.stdout.write(`round ${round}: ${JSON.stringify(best)}\n`);
    }
    const rssAfter = rssMiB(app.pid);
    const fmtCpu = (o) =>
      Object.entries(o)
        .filter(([, v]) => v >= 0.05)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", ");
    const mibs = (t) => (BIG_MIB / t).toFixed(0);
    const fps = (t) => (SMALL / t).toFixed(0);
    process.stdout.write(
      [
        "",
        `Uploads to Ceph RGW on loopback, best of ${ROUNDS}; reference: ${aws.version}`,
        `  one ${BIG_MIB} MiB file: ours ${mibs(best.oursBig)} MiB/s (${best.oursBig.toFixed(1)} s), aws s3 cp ${mibs(best.cliBig)} MiB/s (${best.cliBig.toFixed(1)} s), ratio ours/cli ${(best.cliBig / best.oursBig).toFixed(2)}`,
        `    bare page, same PUTs: ${mibs(best.bareBig)} MiB/s (${best.bareBig.toFixed(1)} s): ours/bare ${(best.bareBig / best.oursBig).toFixed(2)}, bare/cli ${(best.cliBig / best.bareBig).toFixed(2)}`,
        `  ${SMALL} files of 64 KiB: ours ${fps(best.oursSmall)} files/s (${best.oursSmall.toFixed(1)} s), aws s3 cp --recursive ${fps(best.cliSmall)} files/s (${best.cliSmall.toFixed(1)} s), ratio ours/cli ${(best.cliSmall / best.oursSmall).toFixed(2)}`,
        `    bare page, same PUTs: ${fps(best.bareSmall)} files/s (${best.bareSmall.toFixed(1)} s): ours/bare ${(best.bareSmall / best.oursSmall).toFixed(2)}, bare/cli ${(best.cliSmall / best.bareSmall).toFixed(2)}`,
        `  CPU seconds over ${ROUNDS} rounds, ours: ${fmtCpu(cpu.ours)}`,
        `  CPU seconds over ${ROUNDS} rounds, bare: ${fmtCpu(cpu.bare)}`,
        `  CPU seconds over ${ROUNDS} rounds, aws:  ${fmtCpu(cpu.cli)}`,
        `  app server RSS: ${rssBefore.rss.toFixed(0)} MiB before, ${rssAfter.rss.toFixed(0)} MiB after (peak ${rssAfter.peak.toFixed(0)} MiB); the bytes never pass through it`,
        "",
      ].join("\n"),
    );
  } finally {
    await browser.close();
    app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
