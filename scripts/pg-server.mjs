#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the tests and benchmarks: Debian's `postgresql`, a data folder in a
// temporary directory, listening on 127.0.0.1 only, trust authentication (loopback, test data only). Stopped
// by the postmaster's own pid.
//   node scripts/pg-server.mjs start [--dir D] [--port N]   prints { url, port, dir } and leaves it running
//   node scripts/pg-server.mjs stop --dir D
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureSystemPackages } from "./system-packages.mjs";

/** The newest installed PostgreSQL's bin folder (Debian keeps them in /usr/lib/postgresql/<major>/bin). */
export function pgBin() {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error("PostgreSQL is not installed (Debian package postgresql).");
  return path.join(root, versions[0], "bin");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user Debian creates. */
function run(cmd, args, opts = {}) {
  const asRoot = process.getuid?.() === 0;
  const r = asRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8", ...opts })
    : spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function startPgServer({ dir, port } = {}) {
  ensureSystemPackages({ chromium: false, ceph: false, postgres: true });
  const bin = pgBin();
  dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "obm-pg-"));
  port = port ?? (await freePort());
  const data = path.join(dir, "data");
  const sock = path.join(dir, "run");
  fs.mkdirSync(sock, { recursive: true });
  if (process.getuid?.() === 0) spawnSync("chown", ["-R", "postgres:postgres", dir]);
  run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  run(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    path.join(dir, "postgres.log"),
    "-w",
    "-t",
    "60",
    "-o",
    // Throwaway data: no fsync. Enough connections for two app instances and a benchmark.
    `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir };
}

export async function stopPgServer(dir) {
  const pidFile = path.join(dir, "data", "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pid > 0) {
      try {
        process.kill(pid, "SIGINT"); // fast shutdown
        for (let i = 0; i < 100; i++) {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch {
        // gone
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A new empty database on the cluster, for one test file or one benchmark run. */
export function createDatabase(adminUrl, name) {
  const u = new URL(adminUrl);
  const r = spawnSync(
    path.join(pgBin(), "createdb"),
    ["-h", u.hostname, "-p", u.port, "-U", "postgres", name],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`createdb failed: ${r.stderr}`);
  u.pathname = `/${name}`;
  return u.toString();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args[0] === "start") {
    const s = await startPgServer({
      dir: arg("--dir"),
      port: arg("--port") ? Number(arg("--port")) : undefined,
    });
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  } else if (args[0] === "stop" && arg("--dir")) {
    await stopPgServer(arg("--dir"));
  } else {
    process.stderr.write("usage: node scripts/pg-server.mjs start [--dir D] [--port N] | stop --dir D\n");
    process.exit(2);
  }
}
