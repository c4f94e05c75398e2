import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Makes a new, empty database on the test cluster (`adminUrl`) and returns its URL. */
export function createTestDatabase(adminUrl: string): string {
  const admin = new URL(adminUrl);
  const name = `obm_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const bin = fs.existsSync("/usr/lib/postgresql")
    ? fs
        .readdirSync("/usr/lib/postgresql")
        .map((v) => path.join("/usr/lib/postgresql", v, "bin", "createdb"))
        .filter((f) => fs.existsSync(f))
        .sort()
        .pop()
    : undefined;
  const r = spawnSync(bin ?? "createdb", ["-h", admin.hostname, "-p", admin.port, "-U", "postgres", name], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`createdb failed: ${r.stderr}`);
  admin.pathname = `/${name}`;
  return admin.toString();
}
