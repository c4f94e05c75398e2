#!/usr/bin/env node
// `npm test`: the whole suite. Unit tests, then integration tests against a real Ceph RGW with SQLite and
// again with PostgreSQL, then the production build in Debian's Chromium. Installs Chromium, Ceph and
// PostgreSQL from Debian when missing (as root), starts one S3 server and one PostgreSQL cluster for the run
// (or uses S3_TEST_ENDPOINT + keys, PG_CLUSTER_URL, if set) and stops them by their pids.
//   node scripts/test.mjs [unit|integration|integration-pg|e2e] [extra jest args]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPgServer, stopPgServer } from "./pg-server.mjs";
import { startS3Server, stopS3Server } from "./s3-server.mjs";
import { ensureSystemPackages } from "./system-packages.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ALL = ["unit", "integration", "integration-pg", "e2e"];
const args = process.argv.slice(2);
const phases = ALL.includes(args[0]) ? [args.shift()] : ALL;
const jestArgs = args;
const resultsDir = path.join(root, "test-results");
fs.mkdirSync(resultsDir, { recursive: true });

let s3dir;
let pgdir;
async function cleanup() {
  if (s3dir) {
    const dir = s3dir;
    s3dir = undefined;
    await stopS3Server(dir);
  }
  if (pgdir) {
    const dir = pgdir;
    pgdir = undefined;
    await stopPgServer(dir);
  }
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

// No phase may take longer than this (the whole of CI has 90 minutes; a run takes about 20).
const PHASE_LIMIT_MS = 30 * 60 * 1000;

function jest(phase) {
  const project = phase === "integration-pg" ? "integration" : phase;
  const out = path.join(resultsDir, `${phase}.json`);
  fs.rmSync(out, { force: true });
  const extra = project === "e2e" ? ["--runInBand"] : [];
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, "node_modules", "jest", "bin", "jest.js"),
      "--selectProjects",
      project,
      "--json",
      `--outputFile=${out}`,
      // A test that leaves a timer or socket behind after a failure must not hold the run open until CI's
      // own limit: the results are written, then Jest exits.
      "--forceExit",
      ...extra,
      ...jestArgs,
    ],
    {
      stdio: "inherit",
      cwd: root,
      timeout: PHASE_LIMIT_MS,
      killSignal: "SIGKILL",
      // integration-pg: each test file gets a database on the cluster (tests/helpers/setup-env.ts).
      env:
        phase === "integration-pg"
          ? { ...process.env, PG_TEST_ADMIN_URL: process.env.PG_CLUSTER_URL }
          : { ...process.env, PG_TEST_ADMIN_URL: "" },
    },
  );
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(out)) {
    const json = JSON.parse(fs.readFileSync(out, "utf8"));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0);
  }
  if (r.error)
    process.stderr.write(`${phase}: ${r.error.message} (limit ${PHASE_LIMIT_MS / 60000} minutes)\n`);
  if (r.status !== 0 && failed === 0) failed = 1; // a crash before any test ran is still a failure
  return { project: phase === "integration-pg" ? "integration (PostgreSQL)" : project, passed, failed };
}

async function main() {
  const needS3 = phases.some((p) => p !== "unit");
  const needPg = phases.some((p) => p === "integration-pg" || p === "e2e") && !process.env.PG_CLUSTER_URL;
  ensureSystemPackages({
    chromium: phases.includes("e2e"),
    ceph: needS3 && !process.env.S3_TEST_ENDPOINT,
    postgres: needPg,
    // The HTTP/2 uploads e2e puts Debian's nginx (TLS, h2) in front of the store.
    nginx: phases.includes("e2e"),
  });
  if (needPg) {
    const pgs = await startPgServer();
    pgdir = pgs.dir;
    process.env.PG_CLUSTER_URL = pgs.url;
    process.stdout.write(`PostgreSQL on ${pgs.url}\n`);
  }
  if (needS3 && !process.env.S3_TEST_ENDPOINT) {
    const s3 = await startS3Server();
    s3dir = s3.dir;
    Object.assign(process.env, {
      S3_TEST_ENDPOINT: s3.endpoint,
      S3_TEST_ACCESS_KEY_ID: s3.accessKeyId,
      S3_TEST_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_TEST_REGION: s3.region,
      S3_TEST_DIR: s3.dir,
    });
    process.stdout.write(`S3 server (Ceph RGW) on ${s3.endpoint}\n`);
  }
  const results = [];
  try {
    for (const phase of phases) {
      if (phase === "e2e") {
        const build = spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"], {
          stdio: "inherit",
          cwd: root,
        });
        if (build.status !== 0) {
          results.push({ project: "e2e (build)", passed: 0, failed: 1 });
          continue;
        }
      }
      results.push(jest(phase));
    }
  } finally {
    await cleanup();
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  process.stdout.write("\n");
  for (const r of results) process.stdout.write(`  ${r.project}: ${r.passed} passed, ${r.failed} failed\n`);
  process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

main().catch(async (err) => {
  process.stderr.write(`test run failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await cleanup();
  process.exit(1);
});
