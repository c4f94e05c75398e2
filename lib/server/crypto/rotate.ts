import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { resealAllConnections } from "../db/connections";
import { setSetting } from "../db/settings";
import { connectionAad, SEAL_VERSION, tokenAad } from "../connections-crypto";
import { runningServer } from "./key-check";
import {
  decodeKey,
  masterKey,
  NEXT_KEY_FILE,
  OLD_KEY_FILE,
  KEY_FILE,
  resetMasterKeyCache,
  type MasterKey,
} from "./master-key";
import { open, seal, sealedKeyId } from "./secret-box";

export interface RotationResult {
  mode: "key-file" | "environment";
  oldKeyId: string;
  newKeyId: string;
  resealed: number;
  total: number;
}

/**
 * Re-seals every row that is not yet sealed under `to` with the current identity (endpoint included), in
 * one transaction; a row that cannot be opened stops everything (all or nothing).
 */
export function resealUnder(to: MasterKey, from: MasterKey[]) {
  return resealAllConnections(
    (row) => {
      const secretDone = sealedKeyId(row.secret_sealed) === to.id;
      const tokenDone = !row.session_token_sealed || sealedKeyId(row.session_token_sealed) === to.id;
      if (secretDone && tokenDone && row.seal_version === SEAL_VERSION) return null;
      const secret = open(row.secret_sealed, from, connectionAad(row));
      const token = row.session_token_sealed ? open(row.session_token_sealed, from, tokenAad(row)) : null;
      const now = { ...row, seal_version: SEAL_VERSION };
      return {
        secret_sealed: seal(secret, to, connectionAad(now)),
        session_token_sealed: token === null ? null : seal(token, to, tokenAad(now)),
        seal_version: SEAL_VERSION,
      };
    },
    (trx) => setSetting("master_key_id", to.id, trx),
  );
}

/** Makes a rename or a new file in `dir` durable before the next step relies on it. */
function syncDir(dir: string) {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * For the crash tests only (tests/integration/key-rotation-crash.test.ts): OBM_ROTATE_CRASH_AFTER names a
 * step after which the process is killed outright, as a power cut would.
 */
function step(name: "next-key-written" | "resealed" | "old-key-moved" | "next-key-moved") {
  if (process.env.OBM_ROTATE_CRASH_AFTER === name) process.kill(process.pid, "SIGKILL");
}

/**
 * Re-encrypts every stored secret under a new master key, in one transaction. Refuses while a server runs
 * on the same DATA_DIR.
 *
 * Key-file mode (no APP_MASTER_KEY): the new key is written to master.key.next first (and synced), the rows
 * are re-sealed, then master.key becomes master.key.old and master.key.next becomes master.key. Each step
 * can be cut at any point: the app then still opens every secret (it reads master.key.next too), or refuses
 * to start and says to run the rotation again, which picks up where it stopped.
 *
 * Environment mode: pass the new key as NEW_APP_MASTER_KEY; afterwards start the app with it as
 * APP_MASTER_KEY.
 */
export async function rotateMasterKey(newKeyBase64?: string): Promise<RotationResult> {
  const e = env();
  const running = runningServer(e.DATA_DIR);
  if (running !== null) {
    throw new Error(
      `The server is running on ${e.DATA_DIR} (pid ${running}). Stop it first: it holds the old key in memory.`,
    );
  }
  if (e.APP_MASTER_KEY) {
    if (!newKeyBase64) {
      throw new Error(
        "APP_MASTER_KEY is set: pass the new key as NEW_APP_MASTER_KEY (openssl rand -base64 32).",
      );
    }
    const current = masterKey();
    const next = decodeKey(newKeyBase64, "NEW_APP_MASTER_KEY");
    const r = await resealUnder(next, [current, next]);
    return {
      mode: "environment",
      oldKeyId: current.id,
      newKeyId: next.id,
      resealed: r.changed,
      total: r.total,
    };
  }
  const dir = e.DATA_DIR;
  const keyFile = path.join(dir, KEY_FILE);
  const nextFile = path.join(dir, NEXT_KEY_FILE);
  if (!fs.existsSync(keyFile) && !fs.existsSync(nextFile)) {
    throw new Error(`There is no master key to rotate in ${dir} (${KEY_FILE} is missing).`);
  }
  if (!fs.existsSync(nextFile)) {
    const key = newKeyBase64 ? decodeKey(newKeyBase64, "NEW_APP_MASTER_KEY").key : randomBytes(32);
    const fd = fs.openSync(nextFile, "wx", 0o600);
    fs.writeSync(fd, `${key.toString("base64")}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    syncDir(dir);
  }
  step("next-key-written");
  const next = decodeKey(fs.readFileSync(nextFile, "utf8"), nextFile);
  // Read the current key from its file, never through masterKey(): that would make a new one if it is gone.
  const current = fs.existsSync(keyFile) ? decodeKey(fs.readFileSync(keyFile, "utf8"), keyFile) : null;
  const r = await resealUnder(next, current ? [current, next] : [next]);
  step("resealed");
  if (fs.existsSync(keyFile)) {
    fs.renameSync(keyFile, path.join(dir, OLD_KEY_FILE));
    syncDir(dir);
  }
  step("old-key-moved");
  fs.renameSync(nextFile, keyFile);
  syncDir(dir);
  step("next-key-moved");
  resetMasterKeyCache();
  return {
    mode: "key-file",
    oldKeyId: current?.id ?? "(already moved)",
    newKeyId: next.id,
    resealed: r.changed,
    total: r.total,
  };
}
