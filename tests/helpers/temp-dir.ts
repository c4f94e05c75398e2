import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A new directory in the temp folder, removed by the test environment (node-environment.js) when the test
 * file is done: test runs leave nothing behind.
 */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const g = globalThis as { __obmTempDirs?: string[] };
  (g.__obmTempDirs ??= []).push(dir);
  return dir;
}
