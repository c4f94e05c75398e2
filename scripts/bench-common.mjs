// Shared by the benchmarks: an S3 server (ours, or S3_TEST_*), a seeded bucket, an app server with a signed
// in user and a connection, and the app's memory. Benchmarks print figures; they assert nothing.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import https from "node:https";
import { freePort, startS3Server, stopS3Server } from "./s3-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const get = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: get("VmRSS"), peak: get("VmHWM") };
}

const TICKS = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

function procStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return {
      ppid: Number(f[1]),
      own: (Number(f[11]) + Number(f[12])) / TICKS,
      waited: (Number(f[13]) + Number(f[14])) / TICKS,
    };
  } catch {
    return null; // gone
  }
}

/**
 * CPU seconds used so far by `pids` and every process below them; with `waitedChildren`, only what their
 * finished children used (how the CLI's run is counted: it has exited by the time we look).
 */
export function cpuSeconds(pids, { waitedChildren = false } = {}) {
  if (waitedChildren) return pids.reduce((sum, pid) => sum + (procStat(pid)?.waited ?? 0), 0);
  const all = new Map();
  for (const d of fs.readdirSync("/proc")) if (/^\d+$/.test(d)) all.set(Number(d), procStat(d));
  const wanted = new Set(pids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, st] of all) {
      if (st && !wanted.has(pid) && wanted.has(st.ppid)) {
        wanted.add(pid);
        grew = true;
      }
    }
  }
  let sum = 0;
  for (const pid of wanted) sum += all.get(pid)?.own ?? 0;
  return sum;
}

/** The pids of the S3 server's daemons (ours writes them to DIR/run/*.pid), or none if we did not start it. */
export function s3Pids(s3) {
  const run = s3.dir ? path.join(s3.dir, "run") : null;
  if (!run || !fs.existsSync(run)) return [];
  return fs
    .readdirSync(run)
    .filter((f) => f.endsWith(".pid"))
    .map((f) => Number(fs.readFileSync(path.join(run, f), "utf8").trim()));
}

/** Runs `body` with an S3 server; stops the one it started. */
export async function withS3(body) {
  if (process.env.S3_TEST_ENDPOINT) {
    return body({
      endpoint: process.env.S3_TEST_ENDPOINT,
      accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID,
      secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY,
      region: process.env.S3_TEST_REGION ?? "us-east-1",
      dir: process.env.S3_TEST_DIR,
      own: true,
    });
  }
  const s3 = await startS3Server();
  try {
    return await body({ ...s3, own: false });
  } finally {
    await stopS3Server(s3.dir);
  }
}

export function directClient(s3) {
  return new S3Client({
    // A store behind a TLS front with a certificate of its own (BENCH_H2): trusted for this client only.
    ...(s3.ca ? { requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: s3.ca }) }) } : {}),
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/**
 * A bucket holding `keys` (64 uploads in flight). On a server of your own (S3_TEST_ENDPOINT) a bucket seeded
 * by an earlier run under the same name is used as it is.
 */
export async function seededBucket(s3, name, keys) {
  const client = directClient(s3);
  const bucket = s3.own ? name : `${name}-${Date.now()}`;
  const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );
  if (exists) return bucket;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  process.stdout.write(`Seeding ${keys.length} objects…\n`);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < keys.length)
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: keys[next++], Body: "x" }));
    }),
  );
  process.stdout.write(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return bucket;
}

/**
 * The production app on a free port, with a signed-in user and a connection to `s3`. Options: `env` for the
 * app (DATABASE_URL, APP_MASTER_KEY…), and `signIn`: "setup" (first run: creates the user and connection),
 * "login" (an instance on a database another one set up) or false (no session: the caller has one);
 * `nodeArgs` for node itself (--cpu-prof).
 */
export async function startBenchApp(s3, { env = {}, signIn = "setup", nodeArgs = [], from = root } = {}) {
  spawnSync(process.execPath, [path.join(from, "scripts", "start.mjs"), "--build-only"], {
    stdio: "inherit",
  });
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-"));
  const app = spawn(process.execPath, [...nodeArgs, path.join(from, "scripts", "start.mjs"), "--no-build"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_ENDPOINTS: "true",
      LOG_LEVEL: "warn",
      ...env,
    },
    // BENCH_APP_LOG=1 shows the app's own output (to see why a request failed).
    stdio: process.env.BENCH_APP_LOG ? "inherit" : "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (app.exitCode !== null)
      throw new Error(`the app exited with ${app.exitCode} (BENCH_APP_LOG=1 shows why)`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // Stopped, the app leaves nothing behind: its database and key go with it.
  const stop = async () => {
    await new Promise((resolve) => {
      if (app.exitCode !== null || app.signalCode !== null) return resolve();
      app.once("exit", resolve);
      app.kill("SIGTERM");
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const h = { origin: base, "content-type": "application/json" };
  const user = { username: "bench", password: "benchmark password" };
  if (!signIn) return { base, pid: app.pid, dataDir, headers: h, connection: null, stop };
  const signedIn = await fetch(`${base}/api/auth/${signIn === "setup" ? "setup" : "login"}`, {
    method: "POST",
    headers: h,
    body: JSON.stringify(user),
  });
  const cookie = signedIn.headers.get("set-cookie").split(";")[0];
  let connection;
  if (signIn === "setup") {
    const created = await fetch(`${base}/api/connections`, {
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
    });
    connection = (await created.json()).id;
  } else {
    const listed = await (await fetch(`${base}/api/connections`, { headers: { ...h, cookie } })).json();
    connection = listed.connections[0].id;
  }
  return { base, pid: app.pid, dataDir, headers: { ...h, cookie }, connection, stop };
}

/** Debian's Chromium, headless, with its background calls home switched off. */
export function launchBenchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
