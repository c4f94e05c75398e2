import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { log } from "../log";

export interface MasterKey {
  /** A short fingerprint stored beside each ciphertext, so rotation knows which key sealed what. */
  id: string;
  key: Buffer;
}

export const KEY_FILE = "master.key";
/** Written first by a rotation; present only while one is under way (or was interrupted). */
export const NEXT_KEY_FILE = "master.key.next";
/** The key a rotation replaced, kept so its owner can decide when to destroy it. */
export const OLD_KEY_FILE = "master.key.old";

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

export function decodeKey(base64: string, source: string): MasterKey {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32)
    throw new Error(`${source} must hold 32 random bytes in base64 (found ${key.length} bytes)`);
  return { id: keyIdOf(key), key };
}

/**
 * The key file lives in DATA_DIR beside the database but never inside it: a copied database alone does not
 * reveal any secret. Created once with mode 0600; `wx` makes two starting processes agree on one key.
 */
export function loadOrCreateKeyFile(dataDir: string): MasterKey {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    log.info("generated a new master key file", { file });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) {
    fs.chmodSync(file, 0o600);
    log.warn("master key file was readable by others; its mode is now 0600", { file });
  }
  return decodeKey(fs.readFileSync(file, "utf8"), file);
}

let cached: MasterKey | undefined;

/** The key that seals new secrets. */
export function masterKey(): MasterKey {
  if (!cached) {
    const e = env();
    cached = e.APP_MASTER_KEY
      ? decodeKey(e.APP_MASTER_KEY, "APP_MASTER_KEY")
      : loadOrCreateKeyFile(e.DATA_DIR);
  }
  return cached;
}

/**
 * The keys that may open a stored secret: the master key and, while a rotation is under way or was
 * interrupted after re-sealing, the next key. Never the old key: a rotation must really retire it.
 */
export function openingKeys(): MasterKey[] {
  const keys = [masterKey()];
  const e = env();
  const next = path.join(e.DATA_DIR, NEXT_KEY_FILE);
  if (!e.APP_MASTER_KEY && fs.existsSync(next)) keys.push(decodeKey(fs.readFileSync(next, "utf8"), next));
  return keys;
}

/** Forgets the cached key (after a rotation, and in tests). */
export function resetMasterKeyCache(): void {
  cached = undefined;
}
