// Upload benchmark: one 1 GiB file and a folder of 2,000 files of 64 KiB, uploaded through the app in
// Chromium (the page signs with the app and sends the bytes straight to the store) and with the AWS CLI
// (`aws s3 cp`), against the same S3 server in the same run. Prints MiB/s, files/s and our ratio to the CLI
// (above 1.0: we are faster). Asserts nothing.
//
// Beside them, a bare page that sends the same presigned PUTs with no app (bench-bare-page.mjs), and for the
// small files a bare page that sends them as POST forms, as ours does (the floor for our small files): what the
// browser itself costs. Chromium is driven without DevTools network instrumentation (bench-cdp.mjs), as a
// user's browser runs, and the CPU seconds of each party (store, browser, app, CLI) are printed, since on a
// small machine they all share the same cores.
//
// WAN mode (BENCH_RTT_MS=40 BENCH_MBIT=200, or a list: BENCH_RTT_MS=0,20,40,80): every party (browser,
// app server, CLI) reaches the store through scripts/wan-proxy.mjs, which adds the delay and the bandwidth
// cap, and rclone (Debian's) runs beside `aws s3 cp`; one table per round-trip time, each ratio against the
// faster CLI. BENCH_H2=1 puts nginx (TLS, HTTP/2; scripts/tls-front.mjs) before the store as well.
//
// BENCH_TRACE=DIR records a Chromium trace of our page instead (DIR/ours-*.json, for DevTools' Performance
// panel) and prints its main thread's time by event: what a CPU profile calls "(program)" (style, layout,
// paint, the browser's own work on XHR events) is named there.
// BENCH_PROFILE=DIR records a CPU profile of our page's main thread for each of its uploads (DIR/ours-*.cpuprofile,
// for Chromium's DevTools) and prints where the time went, mapped to our sources (the build then carries
// source maps; the profiler costs the page some speed, so figures from such a run are not comparable).
// BENCH_OTHER=DIR runs a second app from another checkout (a git worktree of an earlier commit, with its
// node_modules; it is built if needed) beside ours as the party "other": the same files, browser and store,
// right before or after ours in every round (which goes first alternates). Rounds on a small shared host
// drift by 15% or more, so this is how one build is compared with another.
//
//   npm run bench:upload                 BENCH_ROUNDS=2 (best of), BENCH_BIG_MIB=1024, BENCH_SMALL_FILES=2000
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuSeconds, rssMiB, s3Pids, startBenchApp, withS3 } from "./bench-common.mjs";
import { summarizeProfile } from "./cpu-profile.mjs";
import { summarizeTrace } from "./trace-summary.mjs";
import { bareUpload } from "./bench-bare-page.mjs";
import { launchLeanChromium } from "./bench-cdp.mjs";
import { ensureSystemPackages } from "./system-packages.mjs";

const MiB = 1024 * 1024;
const BIG_MIB = Number(process.env.BENCH_BIG_MIB ?? 1024);
const SMALL = Number(process.env.BENCH_SMALL_FILES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RTTS = process.env.BENCH_RTT_MS ? process.env.BENCH_RTT_MS.split(",").map(Number) : null;
const MBIT = Number(process.env.BENCH_MBIT ?? 200);
const H2 = process.env.BENCH_H2 === "1";
// BENCH_ONLY=oursSmall,cliSmall,bareFormsSmall runs only those parties (names as in the round lines) and
// prints the round lines, not the tables: for comparing one change quickly.
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : null;
const OTHER = process.env.BENCH_OTHER ? path.resolve(process.env.BENCH_OTHER) : null;
const PROFILE = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
if (PROFILE) {
  fs.mkdirSync(PROFILE, { recursive: true });
  process.env.OBM_BROWSER_SOURCE_MAPS = "1"; // the app's build, for mapping the page's profile (start.mjs)
}
const TRACE = process.env.BENCH_TRACE ? path.resolve(process.env.BENCH_TRACE) : null;
if (TRACE) fs.mkdirSync(TRACE, { recursive: true });
let profiles = 0;

/** Starts a timeline trace of `page`; the function it returns ends it and writes it to `file`. */
async function startTrace(page) {
  await page.call("Tracing.start", {
    traceConfig: {
      includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "loading"],
    },
    transferMode: "ReturnAsStream",
  });
  return async (file) => {
    const complete = page.once("Tracing.tracingComplete");
    await page.call("Tracing.end");
    const { stream } = await complete;
    const chunks = [];
    for (;;) {
      const r = await page.call("IO.read", { handle: stream, size: 4 * 1024 * 1024 });
      chunks.push(r.base64Encoded ? Buffer.from(r.data, "base64").toString("utf8") : r.data);
      if (r.eof) break;
    }
    await page.call("IO.close", { handle: stream });
    fs.writeFileSync(file, chunks.join(""));
    const { busyMs, spanMs, self } = summarizeTrace(file);
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    process.stdout.write(
      [
        `  page main thread busy ${(busyMs / 1000).toFixed(1)} s of ${(spanMs / 1000).toFixed(1)} s (${path.basename(file)}), self time by event:`,
        ...top.map(([k, ms]) => `    ${(ms / 1000).toFixed(2).padStart(6)} s  ${k}`),
        "",
      ].join("\n"),
    );
  };
}

/** Prints where a profile of the page spent its time: by part, and the busiest source lines. */
function printProfile(file) {
  const { parts, lines } = summarizeProfile(file);
  const total = [...parts.values()].reduce((a, b) => a + b, 0);
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `    ${(ms / 1000).toFixed(2).padStart(6)} s  ${k.replace(/^.*?\[project\]\//, "")}`);
  process.stdout.write(
    [
      `  page main thread ${(total / 1000).toFixed(1)} s (${path.basename(file)}), by part:`,
      ...top(parts, 12),
      "  busiest lines:",
      ...top(lines, 25),
      "",
    ].join("\n"),
  );
}

/** A helper script in a process of its own that prints one JSON line and then takes JSON lines on stdin. */
async function startHelper(script, args) {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, script), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = [];
  let waiting = null;
  let buffered = "";
  child.stdout.on("data", (d) => {
    buffered += d;
    for (let i = buffered.indexOf("\n"); i >= 0; i = buffered.indexOf("\n")) {
      lines.push(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
      waiting?.();
    }
  });
  const next = async () => {
    while (lines.length === 0) await new Promise((r) => (waiting = r));
    return lines.shift();
  };
  return { child, info: JSON.parse(await next()), next };
}

/** The WAN proxy in a process of its own (the CLI runs synchronously here, which would stall it). */
async function startWan(target) {
  const { child, info, next } = await startHelper("wan-proxy.mjs", ["--target", target]);
  return {
    endpoint: info.endpoint,
    pid: child.pid,
    set: async (o) => {
      child.stdin.write(`${JSON.stringify(o)}\n`);
      await next();
    },
    /** Requests by method that crossed the link so far (plain HTTP/1.1 only). */
    methods: async () => {
      child.stdin.write(`${JSON.stringify({ stats: true })}\n`);
      return JSON.parse(await next()).methods;
    },
    stop: () => child.kill("SIGTERM"),
  };
}

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

if (RTTS) ensureSystemPackages({ chromium: true, ceph: false, rclone: true });

await withS3(async (direct) => {
  const aws = findAws();
  // BENCH_H2=1: nginx (TLS, HTTP/2) before the store, the WAN link before nginx.
  const front = H2 ? await startHelper("tls-front.mjs", ["--target", direct.endpoint]) : null;
  const wan = RTTS
    ? await startWan(front ? front.info.endpoint.replace("https:", "http:") : direct.endpoint)
    : null;
  const endpoint = wan
    ? front
      ? wan.endpoint.replace("http:", "https:")
      : wan.endpoint
    : (front?.info.endpoint ?? direct.endpoint);
  const ca = front ? fs.readFileSync(front.info.certFile) : undefined;
  const s3 = { ...direct, endpoint, ...(ca ? { ca } : {}) };
  // The CLIs take the same path as the page (HTTP/1.1 over TLS in BENCH_H2 mode: they speak no HTTP/2).
  const appOptions = front ? { env: { NODE_EXTRA_CA_CERTS: front.info.certFile } } : {};
  const app = await startBenchApp(s3, appOptions);
  const other = OTHER ? await startBenchApp(s3, { ...appOptions, from: OTHER }) : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-upload-"));
  const browser = await launchLeanChromium(front ? [front.info.chromiumFlag] : []);
  try {
    // Each app creates its own buckets: their CORS rule names that app's origin.
    const newBucket = async (by = app) => {
      const name = `bench-up-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
      const r = await fetch(`${by.base}/api/buckets?connection=${by.connection}`, {
        method: "POST",
        headers: by.headers,
        body: JSON.stringify({ name, browserUploads: true }),
      });
      if (r.status !== 201) throw new Error(`bucket: ${r.status} ${await r.text()}`);
      return name;
    };

    // Buckets first: writing the files takes longer than the server keeps an idle connection open.
    const buckets = [];
    for (let i = 0; i < 5 * ROUNDS * (RTTS?.length ?? 1); i++) buckets.push(await newBucket());
    const otherBuckets = [];
    if (other)
      for (let i = 0; i < 2 * ROUNDS * (RTTS?.length ?? 1); i++) otherBuckets.push(await newBucket(other));
    process.stdout.write(`Writing ${BIG_MIB} MiB and ${SMALL} × 64 KiB files…\n`);
    const files = makeFiles(dir);

    // CPU seconds by party, summed over the rounds, to show where the time goes.
    const cpu = { ours: {}, other: {}, bare: {}, bareForms: {}, cli: {}, rclone: {} };
    const account = (side, kind, before, after) => {
      for (const [k, v] of Object.entries(after)) {
        const key = `${kind} ${k}`;
        cpu[side][key] = (cpu[side][key] ?? 0) + v - before[k];
      }
    };
    const storePids = s3Pids(direct);
    const usage = (by = app) => ({
      store: cpuSeconds(storePids),
      browser: cpuSeconds([browser.pid]),
      app: cpuSeconds([by.pid]),
      cli: cpuSeconds([process.pid], { waitedChildren: true }),
      ...(wan ? { proxy: cpuSeconds([wan.pid]) } : {}),
      ...(front ? { nginx: cpuSeconds([front.child.pid]) } : {}),
    });

    const ours = async (kind, side = "ours") => {
      const by = side === "ours" ? app : other;
      const bucket = (side === "ours" ? buckets : otherBuckets).pop();
      const [name, value] = by.headers.cookie.split("=");
      const page = await browser.open(`${by.base}/buckets/${bucket}?connection=${by.connection}`, [
        { name, value },
      ]);
      // The pickers are disabled until the page is hydrated: a pick before that would reach no one.
      const input = `input[type="file"][aria-label="${kind === "big" ? "Upload files" : "Upload folder"}"]`;
      await page.waitFor(`document.querySelector('${input}:not([disabled])') !== null`);
      const n = kind === "big" ? 1 : SMALL;
      const done = `${n.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} files uploaded`;
      if (PROFILE) {
        await page.call("Profiler.enable");
        await page.call("Profiler.setSamplingInterval", { interval: 1000 });
        await page.call("Profiler.start");
      }
      const endTrace = TRACE ? await startTrace(page) : null;
      // Room for every request in the page's resource timing (250 by default): what it sent is read below.
      await page.evaluate(`performance.setResourceTimingBufferSize(${4 * SMALL})`);
      const before = usage(by);
      const start = process.hrtime.bigint();
      await page.setFiles(input, [kind === "big" ? files.big : files.small]);
      try {
        await page.waitFor(
          `[...document.querySelectorAll('section [role="status"]')].some((e) => e.textContent.includes(${JSON.stringify(done)}))`,
          Number(process.env.BENCH_WAIT_S ?? 600) * 1000,
        );
      } catch (err) {
        // Say what the transfers panel showed: a failed file is the usual reason.
        const panel = await page.evaluate(
          `[...document.querySelectorAll('section')].map((e) => e.innerText).join(" | ").slice(0, 2000)`,
        );
        process.stderr.write(`the transfers panel said: ${panel}\n`);
        throw err;
      }
      const t = seconds(start);
      account(side, kind, before, usage(by));
      if (kind === "small" && !(wan && !front)) {
        // Forms or PUTs (lib/upload/method-choice.ts), by URL: a presigned PUT carries its signature in the
        // query, a form goes to the bucket's URL. (Through the WAN proxy without TLS, the proxy counts them,
        // preflights too.)
        const sent = await page.evaluate(`(() => {
          const n = { forms: 0, puts: 0 };
          for (const e of performance.getEntriesByType("resource")) {
            const u = new URL(e.name);
            if (u.origin === location.origin) continue;
            if (u.searchParams.has("X-Amz-Signature") || u.searchParams.has("Signature")) n.puts++;
            else n.forms++;
          }
          return n;
        })()`);
        process.stdout.write(`    ${side} sent ${sent.forms} POST forms, ${sent.puts} PUTs\n`);
      }
      if (PROFILE) {
        const { profile } = await page.call("Profiler.stop");
        const file = path.join(PROFILE, `${side}-${kind}-${++profiles}.cpuprofile`);
        fs.writeFileSync(file, JSON.stringify(profile));
        printProfile(file);
      }
      await endTrace?.(path.join(TRACE ?? "", `${side}-${kind}-${++profiles}.json`));
      await page.close();
      drop(bucket);
      return t;
    };

    const bare = async (kind, forms = false) => {
      const bucket = buckets.pop();
      const before = usage();
      const source = kind === "big" ? files.big : files.small;
      // Over HTTP/2 a bare page keeps sixteen in flight (over HTTP/1.1 the browser sends six per host).
      const concurrency = H2 ? 16 : 6;
      const profile =
        PROFILE && path.join(PROFILE, `bare${forms ? "Forms" : ""}-${kind}-${++profiles}.cpuprofile`);
      const t = await bareUpload({
        browser,
        s3,
        origin: app.base,
        app,
        bucket,
        kind,
        source,
        forms,
        concurrency,
        profile,
      });
      if (profile) printProfile(profile);
      account(forms ? "bareForms" : "bare", kind, before, usage());
      drop(bucket);
      return t;
    };

    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_DEFAULT_REGION: s3.region,
      AWS_EC2_METADATA_DISABLED: "true",
      // Over HTTPS the CLI's default (botocore ≥ 1.36) sends parts aws-chunked with a trailing checksum and
      // no Content-Length, which Debian's RGW answers with 411 MissingContentLength (and OBS refuses too):
      // checksums only where an operation requires them, as a user of OBS configures it.
      AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
      ...(front ? { AWS_CA_BUNDLE: front.info.certFile } : {}),
    };
    const run = (args) => {
      const r = spawnSync(aws.bin, ["--endpoint-url", s3.endpoint, ...args], { env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`aws ${args.join(" ")}: ${r.stderr}`);
    };
    // The test server keeps objects in memory: each bucket is removed once measured.
    const drop = (bucket) => run(["s3", "rb", "--force", `s3://${bucket}`]);

    // rclone as many ML engineers run it against OBS: its defaults (4 transfers, 4 parts at a time per file).
    // AWS_* variables of the shell (a CA bundle, a profile) would reach rclone's S3 client: left out.
    const rcloneEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
      RCLONE_CONFIG_OBM_TYPE: "s3",
      RCLONE_CONFIG_OBM_PROVIDER: "Ceph",
      RCLONE_CONFIG_OBM_ACCESS_KEY_ID: s3.accessKeyId,
      RCLONE_CONFIG_OBM_SECRET_ACCESS_KEY: s3.secretAccessKey,
      RCLONE_CONFIG_OBM_ENDPOINT: s3.endpoint,
      RCLONE_CONFIG_OBM_REGION: s3.region,
      RCLONE_CONFIG_OBM_FORCE_PATH_STYLE: "true",
    };
    const rclone = (kind) => {
      const bucket = `bench-rclone-${Date.now()}`;
      run(["s3", "mb", `s3://${bucket}`]);
      const before = usage();
      const start = process.hrtime.bigint();
      const args =
        kind === "big"
          ? ["copyto", files.big, `obm:${bucket}/big.bin`]
          : ["copy", files.small, `obm:${bucket}/small/`];
      const r = spawnSync("rclone", [...args, ...(front ? ["--ca-cert", front.info.certFile] : [])], {
        env: rcloneEnv,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`rclone ${args.join(" ")}: ${r.stderr}`);
      const t = seconds(start);
      account("rclone", kind, before, usage());
      drop(bucket);
      return t;
    };

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
    const fmtCpu = (o) =>
      Object.entries(o)
        .filter(([, v]) => v >= 0.05)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", ");
    const mibs = (t) => (BIG_MIB / t).toFixed(0);
    const fps = (t) => (SMALL / t).toFixed(0);
    const report = [];
    const bests = new Map(); // best seconds by party, by round trip
    for (const rtt of RTTS ?? [null]) {
      if (wan) await wan.set({ rttMs: rtt, mbit: MBIT });
      for (const side of Object.keys(cpu)) cpu[side] = {};
      const best = {};
      bests.set(rtt, best);
      const keep = async (name, run) => {
        if (ONLY && !ONLY.has(name)) return;
        const t = await run();
        best[name] = Math.min(best[name] ?? Infinity, t);
        process.stdout.write(`  ${name} ${t.toFixed(1)} s\n`);
      };
      for (let round = 1; round <= ROUNDS; round++) {
        await keep("cliBig", () => cli("big"));
        if (wan) await keep("rcloneBig", () => rclone("big"));
        // With BENCH_OTHER, the two builds take turns going first.
        const sides = !other ? ["ours"] : round % 2 === 0 ? ["other", "ours"] : ["ours", "other"];
        for (const side of sides) await keep(`${side}Big`, () => ours("big", side));
        await keep("bareBig", () => bare("big"));
        await keep("cliSmall", () => cli("small"));
        if (wan) await keep("rcloneSmall", () => rclone("small"));
        for (const side of sides) {
          const sentBefore = wan && !front ? await wan.methods() : null;
          await keep(`${side}Small`, () => ours("small", side));
          if (sentBefore && best[`${side}Small`] !== undefined) {
            // What the engine chose, request by request (forms or PUTs, measured: lib/upload/method-choice.ts).
            const after = await wan.methods();
            const n = (m) => (after[m] ?? 0) - (sentBefore[m] ?? 0);
            process.stdout.write(
              `    ${side} sent ${n("POST")} POST forms, ${n("PUT")} PUTs, ${n("OPTIONS")} preflights\n`,
            );
          }
        }
        await keep("bareSmall", () => bare("small"));
        await keep("bareFormsSmall", () => bare("small", true));
        process.stdout.write(`${rtt === null ? "" : `${rtt} ms: `}round ${round}: ${JSON.stringify(best)}\n`);
      }
      if (ONLY) {
        for (const [side, o] of Object.entries(cpu))
          if (Object.keys(o).length > 0)
            process.stdout.write(`  CPU seconds over ${ROUNDS} rounds, ${side}: ${fmtCpu(o)}\n`);
        continue;
      }
      const fastBig = Math.min(best.cliBig, best.rcloneBig ?? Infinity);
      const fastSmall = Math.min(best.cliSmall, best.rcloneSmall ?? Infinity);
      const where =
        rtt === null
          ? "Ceph RGW on loopback"
          : `Ceph RGW${front ? " behind nginx (TLS, HTTP/2)" : ""} through the WAN proxy, ${rtt} ms round trip, ${MBIT} Mbit/s`;
      report.push(
        "",
        `Uploads to ${where}, best of ${ROUNDS}; reference: ${aws.version}`,
        `  one ${BIG_MIB} MiB file: ours ${mibs(best.oursBig)} MiB/s (${best.oursBig.toFixed(1)} s), aws s3 cp ${mibs(best.cliBig)} MiB/s (${best.cliBig.toFixed(1)} s), ratio ours/cli ${(best.cliBig / best.oursBig).toFixed(2)}`,
        ...(wan
          ? [
              `    rclone ${mibs(best.rcloneBig)} MiB/s (${best.rcloneBig.toFixed(1)} s); ours/faster CLI ${(fastBig / best.oursBig).toFixed(2)}`,
            ]
          : []),
        `    bare page, same PUTs: ${mibs(best.bareBig)} MiB/s (${best.bareBig.toFixed(1)} s): ours/bare ${(best.bareBig / best.oursBig).toFixed(2)}, bare/cli ${(best.cliBig / best.bareBig).toFixed(2)}`,
        ...(other
          ? [
              `    other build (${OTHER}): ${mibs(best.otherBig)} MiB/s (${best.otherBig.toFixed(1)} s): ours/other ${(best.otherBig / best.oursBig).toFixed(2)}`,
            ]
          : []),
        `  ${SMALL} files of 64 KiB: ours ${fps(best.oursSmall)} files/s (${best.oursSmall.toFixed(1)} s), aws s3 cp --recursive ${fps(best.cliSmall)} files/s (${best.cliSmall.toFixed(1)} s), ratio ours/cli ${(best.cliSmall / best.oursSmall).toFixed(2)}`,
        ...(wan
          ? [
              `    rclone copy ${fps(best.rcloneSmall)} files/s (${best.rcloneSmall.toFixed(1)} s); ours/faster CLI ${(fastSmall / best.oursSmall).toFixed(2)}`,
            ]
          : []),
        `    bare page, same PUTs: ${fps(best.bareSmall)} files/s (${best.bareSmall.toFixed(1)} s): ours/bare ${(best.bareSmall / best.oursSmall).toFixed(2)}, bare/cli ${(best.cliSmall / best.bareSmall).toFixed(2)}`,
        `    bare page, POST forms as ours sends them: ${fps(best.bareFormsSmall)} files/s (${best.bareFormsSmall.toFixed(1)} s): ours/bare forms ${(best.bareFormsSmall / best.oursSmall).toFixed(2)}, bare forms/faster CLI ${(fastSmall / best.bareFormsSmall).toFixed(2)}`,
        ...(other
          ? [
              `    other build: ${fps(best.otherSmall)} files/s (${best.otherSmall.toFixed(1)} s): ours/other ${(best.otherSmall / best.oursSmall).toFixed(2)}`,
            ]
          : []),
        `  CPU seconds over ${ROUNDS} rounds, ours: ${fmtCpu(cpu.ours)}`,
        ...(other ? [`  CPU seconds over ${ROUNDS} rounds, other: ${fmtCpu(cpu.other)}`] : []),
        `  CPU seconds over ${ROUNDS} rounds, bare: ${fmtCpu(cpu.bare)}`,
        `  CPU seconds over ${ROUNDS} rounds, bare forms: ${fmtCpu(cpu.bareForms)}`,
        `  CPU seconds over ${ROUNDS} rounds, aws:  ${fmtCpu(cpu.cli)}`,
        ...(wan ? [`  CPU seconds over ${ROUNDS} rounds, rclone: ${fmtCpu(cpu.rclone)}`] : []),
      );
    }
    // The host's ceiling for small files: a bare page with no delay at all moves files as fast as any page
    // can here (latency only adds), so against a CLI across a delay, no page can beat that ratio.
    const floor = bests.get(0);
    const ceiling = floor && Math.min(floor.bareSmall ?? Infinity, floor.bareFormsSmall ?? Infinity);
    if (ceiling && ceiling < Infinity) {
      report.push(
        "",
        `Small files: the fastest bare page with no delay took ${ceiling.toFixed(1)} s (the host's ceiling)`,
      );
      for (const [rtt, best] of bests) {
        const cliBest = Math.min(best.cliSmall ?? Infinity, best.rcloneSmall ?? Infinity);
        if (!rtt || cliBest === Infinity) continue;
        report.push(
          `  at ${rtt} ms the faster CLI took ${cliBest.toFixed(1)} s: a page can reach at most ${(cliBest / ceiling).toFixed(2)}× of it here` +
            (best.oursSmall
              ? `; ours reached ${(cliBest / best.oursSmall).toFixed(2)}× (${best.oursSmall.toFixed(1)} s)`
              : ""),
        );
      }
    }
    const rssAfter = rssMiB(app.pid);
    report.push(
      `  app server RSS: ${rssBefore.rss.toFixed(0)} MiB before, ${rssAfter.rss.toFixed(0)} MiB after (peak ${rssAfter.peak.toFixed(0)} MiB); the bytes never pass through it`,
      "",
    );
    process.stdout.write(report.join("\n"));
  } finally {
    await browser.close();
    await app.stop();
    await other?.stop();
    wan?.stop();
    front?.child.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
