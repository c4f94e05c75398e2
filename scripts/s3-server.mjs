#!/usr/bin/env node
// A one-node Ceph cluster (mon + memstore OSD + RADOS Gateway) on loopback: the real S3 server that the
// integration and end-to-end tests, the benchmarks and `npm run sandbox` talk to.
//
// Usage:
//   node scripts/s3-server.mjs start [--dir DIR] [--port PORT]   prints the endpoint as JSON, leaves daemons running
//   node scripts/s3-server.mjs stop --dir DIR                     stops the daemons recorded in DIR/run/*.pid
//
// Daemons are started by hand as Ceph's own vstart.sh does (no systemd), every address is 127.0.0.1, and only
// the pids written into DIR/run are ever signalled.
import { spawnSync } from "node:child_process";
import { randomUUID, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { ensureSystemPackages } from "./system-packages.mjs";

export const DNS_NAME = "s3.localhost";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

function conf({ dir, fsid, monV1, monV2, rgwPort, memstoreBytes }) {
  return `[global]
fsid = ${fsid}
mon host = [v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
# Without cephx radosgw must accept a crc connection to the mon, or it waits 300 s and dies.
ms mon client mode = crc secure
run dir = ${dir}/run
pid file = ${dir}/run/$name.pid
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
keyring = ${dir}/keyring
# One OSD: replicas of one, no host-level failure domain, small placement groups.
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
paxos propose interval = 0.05
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = memstore
memstore device bytes = ${memstoreBytes}
osd data = ${dir}/osd.$id
mon data = ${dir}/mon.$id
osd memory target = 939524096
osd op num shards = 2
osd op num threads per shard = 1

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw dns name = ${DNS_NAME}
rgw data = ${dir}/rgw
# memstore holds deleted data until the garbage collector runs (2 h by default).
rgw gc obj min wait = 30
rgw gc processor period = 30
rgw enable usage log = false
rgw thread pool size = 64
`;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  return r.stdout;
}

async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function httpUp(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Starts mon, OSD and RGW under `dir` and creates an S3 user.
 * @returns {Promise<{ endpoint: string, port: number, accessKeyId: string, secretAccessKey: string, region: string, dir: string, dnsName: string }>}
 */
export async function startS3Server({ dir, port, memstoreBytes = 8 * 1024 ** 3 } = {}) {
  ensureSystemPackages({ chromium: false, ceph: true });
  dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "obm-rgw-"));
  for (const sub of ["run", "log", "rgw", "mon.a", "osd.0"])
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const fsid = randomUUID();
  const [monV1, monV2, rgwPort] = [await freePort(), await freePort(), port ?? (await freePort())];
  const cfg = path.join(dir, "ceph.conf");
  fs.writeFileSync(cfg, conf({ dir, fsid, monV1, monV2, rgwPort, memstoreBytes }));
  fs.writeFileSync(path.join(dir, "keyring"), "");
  const c = ["-c", cfg];

  run("monmaptool", [
    "--create",
    "--clobber",
    "--fsid",
    fsid,
    "--addv",
    "a",
    `[v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]`,
    path.join(dir, "monmap"),
  ]);
  run("ceph-mon", [...c, "--mkfs", "-i", "a", "--monmap", path.join(dir, "monmap")]);
  run("ceph-mon", [...c, "-i", "a"]);
  await waitFor(() => fs.existsSync(path.join(dir, "run", "mon.a.pid")), "ceph-mon", 15000);

  const osdUuid = randomUUID();
  const id = run("ceph", [...c, "--connect-timeout", "15", "osd", "new", osdUuid]).trim();
  run("ceph-osd", [...c, "-i", id, "--mkfs", "--osd-uuid", osdUuid]);
  run("ceph-osd", [...c, "-i", id]);
  await waitFor(
    () => {
      const r = spawnSync("ceph", [...c, "--connect-timeout", "5", "osd", "stat", "--format", "json"], {
        encoding: "utf8",
      });
      try {
        return JSON.parse(r.stdout).num_up_osds >= 1;
      } catch {
        return false;
      }
    },
    "the OSD to come up",
    60000,
  );

  run("radosgw", [...c, "-n", "client.rgw.a"]);
  await waitFor(() => httpUp(rgwPort), "radosgw to listen", 120000);

  // A second storage class (STANDARD_IA, OBS's "Warm") so that storage-class changes can be tested for real:
  // radosgw creates the default zone on its first start; the placement is added to it, then radosgw restarts.
  run("radosgw-admin", [
    ...c,
    "zonegroup",
    "placement",
    "add",
    "--rgw-zonegroup",
    "default",
    "--placement-id",
    "default-placement",
    "--storage-class",
    "STANDARD_IA",
  ]);
  run("radosgw-admin", [
    ...c,
    "zone",
    "placement",
    "add",
    "--rgw-zone",
    "default",
    "--placement-id",
    "default-placement",
    "--storage-class",
    "STANDARD_IA",
    "--data-pool",
    "default.rgw.standard-ia.data",
  ]);
  const rgwPid = readPid(path.join(dir, "run", "client.rgw.a.pid"));
  if (rgwPid) {
    process.kill(rgwPid, "SIGTERM");
    await waitFor(
      () => {
        try {
          process.kill(rgwPid, 0);
          return false;
        } catch {
          return true;
        }
      },
      "radosgw to stop",
      20000,
    );
  }
  run("radosgw", [...c, "-n", "client.rgw.a"]);
  await waitFor(() => httpUp(rgwPort), "radosgw to listen again", 120000);

  const accessKeyId = `OBMTEST${randomBytes(6).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString("base64url");
  run("radosgw-admin", [
    ...c,
    "user",
    "create",
    "--uid",
    "test",
    "--display-name",
    "test",
    "--access-key",
    accessKeyId,
    "--secret-key",
    secretAccessKey,
    "--max-buckets",
    "1000",
  ]);
  const info = {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    port: rgwPort,
    accessKeyId,
    secretAccessKey,
    region: "us-east-1",
    dnsName: DNS_NAME,
    dir,
  };
  fs.writeFileSync(path.join(dir, "server.json"), JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

/** Creates one more S3 user on a running server (e.g. for a second test account). */
export function createS3User(dir, uid) {
  const accessKeyId = `OBM${randomBytes(8).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString("base64url");
  run("radosgw-admin", [
    "-c",
    path.join(dir, "ceph.conf"),
    "user",
    "create",
    "--uid",
    uid,
    "--display-name",
    uid,
    "--access-key",
    accessKeyId,
    "--secret-key",
    secretAccessKey,
  ]);
  return { accessKeyId, secretAccessKey };
}

/** Stops the daemons whose pid files are under dir/run (rgw first, mon last), then removes dir. */
export async function stopS3Server(dir, { keep = false } = {}) {
  for (const name of ["client.rgw.a", "osd.0", "mon.a"]) {
    const pid = readPid(path.join(dir, "run", `${name}.pid`));
    if (!pid) continue;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      continue;
    }
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
        await sleep(100);
      } catch {
        break;
      }
    }
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const arg = (name) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (cmd === "start") {
    const port = arg("port") ? Number(arg("port")) : undefined;
    const info = await startS3Server({ dir: arg("dir"), port });
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  if (cmd === "stop") {
    const dir = arg("dir");
    if (!dir) throw new Error("stop needs --dir DIR");
    await stopS3Server(dir, { keep: rest.includes("--keep") });
    return;
  }
  process.stderr.write("usage: s3-server.mjs start [--dir DIR] [--port PORT] | stop --dir DIR\n");
  process.exit(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err) => {
    process.stderr.write(`s3-server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
