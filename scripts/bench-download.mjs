// Download benchmark: one 1 GiB file and a folder of 2,000 files of 64 KiB, downloaded by the app's folder
// download in Chromium (presigned GETs from the page straight into a local folder; the origin-private file
// system stands in for the folder the user picks, so the bytes are written to disk as they would be) and
// by the AWS CLI (`aws s3 cp --recursive`), from the same S3 server in the same run. Prints MiB/s, files/s
// and our ratio to the CLI (above 1.0: we are faster). Asserts nothing.
//
//   npm run bench:download               BENCH_ROUNDS=2 (best of), BENCH_BIG_MIB=1024, BENCH_SMALL_FILES=2000
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuSeconds, s3Pids, startBenchApp, withS3 } from "./bench-common.mjs";
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

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

await withS3(async (s3) => {
  const aws = findAws();
  const app = await startBenchApp(s3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-download-"));
  const browser = await launchLeanChromium();
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
  const bucket = `bench-down-${Date.now()}`;
  try {
    const r = await fetch(`${app.base}/api/buckets?connection=${app.connection}`, {
      method: "POST",
      headers: app.headers,
      body: JSON.stringify({ name: bucket, browserUploads: true }),
    });
    if (r.status !== 201) throw new Error(`bucket: ${r.status} ${await r.text()}`);
    process.stdout.write(`Writing and uploading ${BIG_MIB} MiB and ${SMALL} × 64 KiB files…\n`);
    const source = path.join(dir, "source");
    fs.mkdirSync(path.join(source, "big"), { recursive: true });
    const fd = fs.openSync(path.join(source, "big", "big.bin"), "w");
    const chunk = randomBytes(8 * MiB);
    for (let i = 0; i < BIG_MIB / 8; i++) {
      chunk.writeUInt32LE(i, 0);
      fs.writeSync(fd, chunk);
    }
    fs.closeSync(fd);
    for (let i = 0; i < SMALL; i++) {
      const sub = path.join(source, "small", `d${i % 20}`);
      fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, `f${i}.bin`), randomBytes(64 * 1024));
    }
    run(["s3", "cp", "--only-show-errors", "--recursive", source, `s3://${bucket}/`]);
    fs.rmSync(source, { recursive: true, force: true });

    const storePids = s3Pids(s3);
    const cpu = { ours: {}, cli: {} };
    const usage = () => ({
      store: cpuSeconds(storePids),
      browser: cpuSeconds([browser.pid]),
      app: cpuSeconds([app.pid]),
      cli: cpuSeconds([process.pid], { waitedChildren: true }),
    });
    const account = (side, kind, before, after) => {
      for (const [k, v] of Object.entries(after)) {
        const key = `${kind} ${k}`;
        cpu[side][key] = (cpu[side][key] ?? 0) + v - before[k];
      }
    };

    let runs = 0;
    const ours = async (kind) => {
      const folder = `${kind}-${++runs}`;
      const [name, value] = app.headers.cookie.split("=");
      const page = await browser.open(`${app.base}/buckets/${bucket}/${kind}?connection=${app.connection}`, [
        { name, value },
      ]);
      await page.waitFor(
        `[...document.querySelectorAll("button")].some((b) => b.textContent === "Download folder")`,
      );
      // The folder picker opens a new folder of the origin-private file system each run.
      await page.evaluate(
        `window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(${JSON.stringify(folder)}, { create: true }); true`,
      );
      const n = kind === "big" ? 1 : SMALL;
      const before = usage();
      const start = process.hrtime.bigint();
      await page.evaluate(
        `[...document.querySelectorAll("button")].find((b) => b.textContent === "Download folder").click(); true`,
      );
      // Until the download ends (finished, or stopped with failures), then check that every file arrived.
      const panel = `[...document.querySelectorAll("section")].find((s) => s.querySelector("h2")?.textContent === "Downloads")`;
      await page.waitFor(`/Finished|Stopped|Cancelled/.test(${panel}?.textContent ?? "")`, 1_800_000);
      const text = await page.evaluate(`${panel}.textContent`);
      if (!text.includes(`${n} of ${n} files`) || /failed/.test(text))
        throw new Error(`the download did not finish: ${text}`);
      const t = seconds(start);
      account("ours", kind, before, usage());
      await page.evaluate(
        `(async () => { await (await navigator.storage.getDirectory()).removeEntry(${JSON.stringify(folder)}, { recursive: true }); return true; })()`,
      );
      await page.close();
      return t;
    };
    const cli = (kind) => {
      const target = path.join(dir, `cli-${kind}`);
      const before = usage();
      const start = process.hrtime.bigint();
      run(["s3", "cp", "--only-show-errors", "--recursive", `s3://${bucket}/${kind}/`, target]);
      const t = seconds(start);
      account("cli", kind, before, usage());
      fs.rmSync(target, { recursive: true, force: true });
      return t;
    };

    const best = {};
    const keep = (k, t) => (best[k] = Math.min(best[k] ?? Infinity, t));
    for (let round = 1; round <= ROUNDS; round++) {
      keep("cliBig", cli("big"));
      keep("oursBig", await ours("big"));
      keep("cliSmall", cli("small"));
      keep("oursSmall", await ours("small"));
      process.stdout.write(`round ${round}: ${JSON.stringify(best)}\n`);
    }
    const fmtCpu = (o) =>
      Object.entries(o)
        .filter(([, v]) => v >= 0.05)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", ");
    process.stdout.write(
      [
        "",
        `Downloads from Ceph RGW on loopback, best of ${ROUNDS}; reference: ${aws.version}`,
        `  one ${BIG_MIB} MiB file: ours ${(BIG_MIB / best.oursBig).toFixed(0)} MiB/s (${best.oursBig.toFixed(1)} s), aws s3 cp ${(BIG_MIB / best.cliBig).toFixed(0)} MiB/s (${best.cliBig.toFixed(1)} s), ratio ours/cli ${(best.cliBig / best.oursBig).toFixed(2)}`,
        `  ${SMALL} files of 64 KiB: ours ${(SMALL / best.oursSmall).toFixed(0)} files/s (${best.oursSmall.toFixed(1)} s), aws s3 cp --recursive ${(SMALL / best.cliSmall).toFixed(0)} files/s (${best.cliSmall.toFixed(1)} s), ratio ours/cli ${(best.cliSmall / best.oursSmall).toFixed(2)}`,
        `  CPU seconds over ${ROUNDS} rounds, ours: ${fmtCpu(cpu.ours)}`,
        `  CPU seconds over ${ROUNDS} rounds, aws:  ${fmtCpu(cpu.cli)}`,
        "",
      ].join("\n"),
    );
  } finally {
    run(["s3", "rb", "--force", `s3://${bucket}`]);
    await browser.close();
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
