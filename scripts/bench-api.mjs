#!/usr/bin/env node
// `npm run bench:api`: the API under load (autocannon, BENCH_CONNECTIONS=50 connections, BENCH_SECONDS=10 s
// per route) for one instance on SQLite, one on PostgreSQL and two on PostgreSQL behind nginx (round robin),
// beside the framework's floor: a bare route handler returning {} in a minimal app on the same Next version,
// served by the same wrapper (scripts/serve.mjs). Then a soak run (BENCH_SOAK_SECONDS=300, 0 to skip) of a
// session-checked route on SQLite, sampling the server's RSS. Prints req/s, p50, p99, errors and RSS, and
// the ratios the targets are about. Asserts nothing.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { rssMiB, seededBucket, startBenchApp, withS3 } from "./bench-common.mjs";
import { summarizeProfile } from "./cpu-profile.mjs";
import { createDatabase, startPgServer, stopPgServer } from "./pg-server.mjs";
import { freePort } from "./s3-server.mjs";
import { startNginx } from "./nginx.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SOAK = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
const ONLY = process.env.BENCH_ONLY?.split(",");
/** Which parts to run: load (the table), profile (where the time goes), soak (memory over time). */
const PHASES = (process.env.BENCH_PHASES ?? "load,profile,soak").split(",");

/** autocannon against one URL; the figures the table shows. */
async function load(url, { method = "GET", headers = {}, body } = {}, seconds = SECONDS) {
  const r = await autocannon({ url, method, headers, body, connections: CONNECTIONS, duration: seconds });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    total: r.requests.total,
  };
}

/** A minimal Next app (one route handler returning {}), built once per Next version, served like ours. */
async function startFloor(nodeArgs = []) {
  const version = JSON.parse(
    fs.readFileSync(path.join(root, "node_modules/next/package.json"), "utf8"),
  ).version;
  // Inside the project (under node_modules/.cache, which nothing else reads) so that it resolves the same
  // `next` package: Turbopack compiles nothing outside the project root.
  const dir = path.join(root, "node_modules", ".cache", `obm-bench-floor-next-${version}`);
  if (!fs.existsSync(path.join(dir, ".next", "BUILD_ID"))) {
    fs.mkdirSync(path.join(dir, "app", "api", "floor"), { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "floor", "private": true }\n');
    fs.writeFileSync(path.join(dir, "next.config.mjs"), "export default {};\n");
    fs.writeFileSync(
      path.join(dir, "app", "api", "floor", "route.js"),
      'export const dynamic = "force-dynamic";\nexport function GET() {\n  return Response.json({});\n}\n',
    );
    process.stdout.write("Building the floor app (a bare Next route handler)…\n");
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: dir,
      stdio: "ignore",
    });
    if (r.status !== 0) throw new Error("building the floor app failed");
  }
  const port = await freePort();
  const serveUrl = new URL("./serve.mjs", import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      "--input-type=module",
      "-e",
      `import { serve } from ${JSON.stringify(serveUrl)}; process.env.NODE_ENV = "production"; await serve({ dir: ${JSON.stringify(dir)}, port: ${port}, host: "127.0.0.1", banner: "floor" });`,
    ],
    { cwd: dir, env: { ...process.env, NODE_ENV: "production" }, stdio: "ignore" },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/floor`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** nginx as the load balancer: round robin over `upstreams`, keep-alive to them, one worker. */
async function startBalancer(upstreams) {
  const port = await freePort();
  const nginx = await startNginx({
    port,
    http: `  upstream app { ${upstreams.map((u) => `server ${new URL(u).host};`).join(" ")} keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_next_upstream error timeout;
    }
  }`,
  });
  return { base: `http://127.0.0.1:${port}`, stop: nginx.stop };
}

/** The routes measured on one deployment (`base`: the app or its balancer; `session`: signed-in headers). */
function routes(base, session, connection, bucket) {
  const files = Array.from({ length: 100 }, (_, i) => ({ key: `bench/plan/${i}.bin`, size: 1024 * 1024 }));
  return [
    { name: "GET /api/health (no session)", url: `${base}/api/health` },
    { name: "GET /api/auth/session", url: `${base}/api/auth/session`, headers: session, meta: true },
    { name: "GET /api/connections", url: `${base}/api/connections`, headers: session, meta: true },
    {
      name: "GET objects page (100, store)",
      url: `${base}/api/buckets/${bucket}/objects?connection=${connection}&prefix=data/&limit=100`,
      headers: session,
    },
    {
      name: "POST upload plan (100 files)",
      url: `${base}/api/buckets/${bucket}/uploads?connection=${connection}`,
      method: "POST",
      headers: { ...session, origin: base },
      body: JSON.stringify({ files }),
    },
    {
      name: "POST presign one key",
      url: `${base}/api/buckets/${bucket}/presign?connection=${connection}`,
      method: "POST",
      headers: { ...session, origin: base },
      body: JSON.stringify({ key: "data/0000001.jpg", method: "GET", expiresIn: 3600 }),
    },
  ];
}

const rows = [];
function report(deployment, route, r, rss) {
  rows.push({ deployment, route, ...r, rss });
  process.stdout.write(
    `${deployment.padEnd(16)} ${route.padEnd(32)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms  errors ${r.errors}  RSS ${rss}\n`,
  );
}

async function runDeployment(name, base, pids, session, connection, bucket) {
  // Let the bucket accept uploads from this origin (the upload plan checks the bucket's CORS rules).
  await fetch(`${base}/api/buckets/${bucket}/cors?connection=${connection}`, {
    method: "PUT",
    headers: { ...session, origin: base },
    body: JSON.stringify({
      rules: [
        {
          id: "obs-bucket-manager-browser-uploads",
          allowedOrigins: [base],
          allowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
          allowedHeaders: ["*"],
          exposeHeaders: ["ETag"],
          maxAgeSeconds: 3000,
        },
      ],
    }),
  });
  for (const r of routes(base, session, connection, bucket)) {
    if (ONLY && !ONLY.some((o) => r.name.includes(o))) continue;
    await load(r.url, { ...r }, 2); // warm-up
    const result = await load(r.url, r);
    const rss = pids.map((p) => `${rssMiB(p).rss.toFixed(0)} MiB`).join(" + ");
    report(name, r.name, result, rss);
  }
}

await withS3(async (s3) => {
  const keys = Array.from({ length: 1000 }, (_, i) => `data/${String(i).padStart(7, "0")}.jpg`);
  const bucket = await seededBucket(s3, "bench-api", keys);
  let pgDir;
  let cluster = process.env.PG_CLUSTER_URL;
  if (!cluster) {
    const pg = await startPgServer();
    pgDir = pg.dir;
    cluster = pg.url;
  }
  const cleanups = [];
  try {
    process.stdout.write(
      `${CONNECTIONS} connections, ${SECONDS} s per route (after 2 s of warm-up), ${os.cpus().length} CPU cores\n\n`,
    );
    if (PHASES.includes("load")) {
      const floor = await startFloor();
      cleanups.push(floor.stop);
      await load(`${floor.base}/api/floor`, {}, 2);
      report(
        "floor",
        "GET bare route handler {}",
        await load(`${floor.base}/api/floor`),
        `${rssMiB(floor.pid).rss.toFixed(0)} MiB`,
      );
      await floor.stop();

      const sqlite = await startBenchApp(s3);
      await runDeployment("SQLite, 1", sqlite.base, [sqlite.pid], sqlite.headers, sqlite.connection, bucket);
      await sqlite.stop();

      const key = randomBytes(32).toString("base64");
      const env = { DATABASE_URL: createDatabase(cluster, `obm_bench_${Date.now()}`), APP_MASTER_KEY: key };
      const pg1 = await startBenchApp(s3, { env });
      cleanups.push(pg1.stop);
      await runDeployment("PostgreSQL, 1", pg1.base, [pg1.pid], pg1.headers, pg1.connection, bucket);

      const pg2 = await startBenchApp(s3, { env, signIn: false });
      cleanups.push(pg2.stop);
      const lb = await startBalancer([pg1.base, pg2.base]);
      cleanups.push(lb.stop);
      // The same session works on both instances: it lives in the database.
      const session = { ...pg1.headers, origin: lb.base };
      await runDeployment("PostgreSQL, 2", lb.base, [pg1.pid, pg2.pid], session, pg1.connection, bucket);
      await lb.stop();
      await pg2.stop();
      await pg1.stop();
      summary();
    }

    if (PHASES.includes("profile")) await profiles(s3);

    if (SOAK > 0 && PHASES.includes("soak")) {
      const soak = await startBenchApp(s3);
      cleanups.push(soak.stop);
      process.stdout.write(`\nSoak: GET /api/connections on SQLite for ${SOAK} s, RSS every 10 s\n`);
      const samples = [];
      const timer = setInterval(
        () => samples.push({ t: samples.length * 10 + 10, rss: rssMiB(soak.pid).rss }),
        10_000,
      );
      const r = await load(`${soak.base}/api/connections`, { headers: soak.headers }, SOAK);
      clearInterval(timer);
      process.stdout.write(`${samples.map((s) => `${s.t}s ${s.rss.toFixed(0)}`).join("  ")} (MiB)\n`);
      const window = samples.filter((s) => s.t >= 120 && s.t <= 300);
      if (window.length > 1) {
        const lo = Math.min(...window.map((s) => s.rss));
        const hi = Math.max(...window.map((s) => s.rss));
        const drift = (window.at(-1).rss / window[0].rss - 1) * 100;
        process.stdout.write(
          `RSS from minute 2 to minute 5: ${window[0].rss.toFixed(0)} → ${window.at(-1).rss.toFixed(0)} MiB (${drift >= 0 ? "+" : ""}${drift.toFixed(1)}%), range ${lo.toFixed(0)}–${hi.toFixed(0)} MiB: ${Math.abs(drift) <= 10 && hi / lo <= 1.2 ? "within" : "OUTSIDE"} ±10% (target)\n`,
        );
      }
      process.stdout.write(
        `${r.total} requests, ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, errors ${r.errors}\n`,
      );
      await soak.stop();
    }
  } finally {
    for (const stop of cleanups.reverse()) await stop();
    if (pgDir) await stopPgServer(pgDir);
  }
});

function summary() {
  const floor = rows.find((r) => r.deployment === "floor");
  const get = (d, route) => rows.find((r) => r.deployment === d && r.route === route);
  process.stdout.write("\nRatios (targets in brackets):\n");
  for (const route of ["GET /api/auth/session", "GET /api/connections"]) {
    const s = get("SQLite, 1", route);
    const p = get("PostgreSQL, 1", route);
    const p2 = get("PostgreSQL, 2", route);
    if (!s || !floor) continue;
    const line = [
      `${route}: SQLite ${(s.rps / floor.rps).toFixed(2)}× the floor's req/s [≥ 0.6]`,
      `p99 ${(s.p99 / floor.p99).toFixed(2)}× the floor's [≤ 2]`,
      `errors ${s.errors} [0]`,
    ];
    if (p) line.push(`PostgreSQL ${(p.rps / s.rps).toFixed(2)}× SQLite [≥ 0.8]`);
    if (p2 && p) line.push(`two instances ${(p2.rps / p.rps).toFixed(2)}× one`);
    process.stdout.write(`  ${line.join("; ")}\n`);
  }
}

/**
 * Where the time of a request goes: the floor and our app (SQLite) each run under `node --cpu-prof` while
 * autocannon drives one route, and their CPU time is split by where the code came from (source maps of the
 * build lead back to our files and the packages'). CPU per request = busy CPU time / requests served.
 */
async function profiles(s3) {
  process.stdout.write(`\nWhere the CPU time of a request goes (node --cpu-prof, ${SECONDS} s each):\n`);
  const runs = [];
  const run = async (name, start, url, headers = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-prof-"));
    const server = await start(["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const u = url(server);
    await load(u, { headers: headers(server) }, 2);
    const from = Number(process.hrtime.bigint() / 1000n);
    const r = await load(u, { headers: headers(server) });
    const to = Number(process.hrtime.bigint() / 1000n);
    await server.stop();
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error(`no CPU profile was written for ${name}`);
    const { parts } = summarizeProfile(path.join(dir, file), { from, to });
    fs.rmSync(dir, { recursive: true, force: true });
    const busy = [...parts].filter(([p]) => p !== "idle").reduce((n, [, ms]) => n + ms, 0);
    runs.push({ name, parts, requests: r.total, busy });
  };
  await run(
    "floor: GET {}",
    (env) => startFloor(env),
    (f) => `${f.base}/api/floor`,
    () => ({}),
  );
  await run(
    "SQLite: GET /api/connections",
    (nodeArgs) => startBenchApp(s3, { nodeArgs }),
    (a) => `${a.base}/api/connections`,
    (a) => a.headers,
  );
  await run(
    "SQLite: GET /api/auth/session",
    (nodeArgs) => startBenchApp(s3, { nodeArgs }),
    (a) => `${a.base}/api/auth/session`,
    (a) => a.headers,
  );
  const names = [...new Set(runs.flatMap((r) => [...r.parts.keys()]))].filter((p) => p !== "idle");
  names.sort((a, b) => (runs[1]?.parts.get(b) ?? 0) - (runs[1]?.parts.get(a) ?? 0));
  process.stdout.write(
    `${"µs of CPU per request".padEnd(40)}${runs.map((r) => r.name.padStart(32)).join("")}\n`,
  );
  for (const part of names) {
    const cells = runs.map((r) => ((1000 * (r.parts.get(part) ?? 0)) / r.requests).toFixed(0).padStart(32));
    process.stdout.write(`${part.padEnd(40)}${cells.join("")}\n`);
  }
  process.stdout.write(
    `${"total (busy)".padEnd(40)}${runs.map((r) => ((1000 * r.busy) / r.requests).toFixed(0).padStart(32)).join("")}\n`,
  );
}
