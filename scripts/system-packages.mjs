// Debian packages the test suite needs, installed when missing (as root: CI and this machine run as root).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const NEEDS = [
  { bin: "chromium", pkgs: ["chromium"], key: "chromium" },
  { bin: "radosgw", pkgs: ["ceph-mon", "ceph-osd", "radosgw", "ceph-common", "uuid-runtime"], key: "ceph" },
  { bin: "monmaptool", pkgs: ["ceph-mon"], key: "ceph" },
  { bin: "radosgw-admin", pkgs: ["radosgw"], key: "ceph" },
  { bin: "/usr/lib/postgresql/15/bin/initdb", pkgs: ["postgresql"], key: "postgres" },
  { bin: "nginx", pkgs: ["nginx"], key: "nginx" },
  { bin: "rclone", pkgs: ["rclone"], key: "rclone" },
];

function have(bin) {
  if (bin.startsWith("/"))
    return fs.existsSync(bin) || fs.existsSync(path.dirname(path.dirname(path.dirname(bin))));
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}

export function ensureSystemPackages({
  chromium = true,
  ceph = true,
  postgres = false,
  nginx = false,
  rclone = false,
} = {}) {
  const want = { chromium, ceph, postgres, nginx, rclone };
  const wanted = NEEDS.filter((n) => want[n.key]).filter((n) => !have(n.bin));
  const pkgs = [...new Set(wanted.flatMap((n) => n.pkgs))];
  if (pkgs.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages: ${pkgs.join(" ")}. Install them with: sudo apt-get install -y ${pkgs.join(" ")}`,
    );
  }
  process.stderr.write(`Installing ${pkgs.join(" ")} from Debian's packages…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], {
    stdio: "inherit",
    env,
  });
}
