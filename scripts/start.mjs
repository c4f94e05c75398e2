#!/usr/bin/env node
// `npm start`: serves the production build on http://HOST:PORT (default 127.0.0.1:3000), building first when
// there is no build or the sources changed since the last one. A small Node server wraps Next so that the
// client address the app sees comes from the socket (or, with TRUST_PROXY=true, from the proxy in front),
// never from a header the client chose.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { serve } from "./serve.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
nextEnv.loadEnvConfig(root, false);
process.env.NODE_ENV = "production";

const SOURCES = ["app", "components", "lib", "i18n", "messages", "public"];
const FILES = [
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];
const STAMP = path.join(root, ".next", "obm-source-fingerprint");

function walk(dir, out) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** A hash of every source file's path and content: mtimes change on checkout, contents do not. */
function sourceFingerprint() {
  const files = [];
  for (const d of SOURCES) walk(path.join(root, d), files);
  for (const f of FILES) if (fs.existsSync(path.join(root, f))) files.push(path.join(root, f));
  const h = createHash("sha256");
  // The one build setting taken from the environment (next.config.ts): a change must rebuild.
  h.update(`browser-source-maps=${process.env.OBM_BROWSER_SOURCE_MAPS === "1"}`);
  for (const f of files.sort()) {
    h.update(path.relative(root, f));
    h.update(fs.readFileSync(f));
  }
  return h.digest("hex");
}

function ensureBuild() {
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(STAMP);
  if (built && fs.readFileSync(STAMP, "utf8") === fingerprint) return;
  process.stdout.write(
    built ? "Sources changed since the last build: building…\n" : "No production build yet: building…\n",
  );
  const r = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
    {
      stdio: "inherit",
      env: process.env,
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(STAMP, fingerprint);
}

async function main() {
  if (process.argv.includes("--build-only")) {
    ensureBuild();
    return;
  }
  if (!process.argv.includes("--no-build")) ensureBuild();
  await serve({
    dir: root,
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST || "127.0.0.1",
    trustProxy: ["true", "1", "yes"].includes(String(process.env.TRUST_PROXY ?? "").toLowerCase()),
    graceSeconds: Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 20),
    banner: "OBS Bucket Manager",
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
