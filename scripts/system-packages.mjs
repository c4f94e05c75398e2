// Debian packages the test suite needs, installed when missing (as root: CI and this machine run as root).
import { execFileSync, spawnSync } from "node:child_process";

const NEEDS = [
  { bin: "chromium", pkgs: ["chromium"] },
  { bin: "radosgw", pkgs: ["ceph-mon", "ceph-osd", "radosgw", "ceph-common", "uuid-runtime"] },
  { bin: "monmaptool", pkgs: ["ceph-mon"] },
  { bin: "radosgw-admin", pkgs: ["radosgw"] },
];

function have(bin) {
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}

export function ensureSystemPackages({ chromium = true, ceph = true } = {}) {
  const wanted = NEEDS.filter((n) => (n.bin === "chromium" ? chromium : ceph)).filter((n) => !have(n.bin));
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
