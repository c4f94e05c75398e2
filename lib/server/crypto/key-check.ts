import "server-only";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { log } from "../log";
import { resealAllConnections, sealedKeySummary } from "../db/connections";
import { isPostgres } from "../db";
import { claimSetting } from "../db/settings";
import { connectionAad, SEAL_VERSION, tokenAad } from "../connections-crypto";
import { KEY_FILE, masterKey, NEXT_KEY_FILE, openingKeys } from "./master-key";
import { open, seal } from "./secret-box";

// Start-up checks of the master key against what the database holds: the server never makes a new key
// over stored secrets (they could never be read again), and says which key it needs instead.

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MasterKeyError";
  }
}

/** Refuses to go on when the database holds secrets that the configured key cannot open. */
export async function checkMasterKey(): Promise<void> {
  const e = env();
  const { count, keyIds } = await sealedKeySummary();
  if (!e.APP_MASTER_KEY) {
    const file = path.join(e.DATA_DIR, KEY_FILE);
    const next = path.join(e.DATA_DIR, NEXT_KEY_FILE);
    if (!fs.existsSync(file) && fs.existsSync(next)) {
      throw new MasterKeyError(
        `A master key rotation was interrupted (${NEXT_KEY_FILE} is there, ${KEY_FILE} is not). Run npm run secrets:rotate again to finish it, then start the server.`,
      );
    }
    if (!fs.existsSync(file) && count > 0) {
      throw new MasterKeyError(
        `The database holds ${count} encrypted secret(s), but ${file} is missing. Restore it from your backup (or set APP_MASTER_KEY). The server will not make a new key over them: they could never be read again.`,
      );
    }
  }
  const keys = openingKeys(); // creates the key file for an empty database
  const unknown = keyIds.filter((id) => !keys.some((k) => k.id === id));
  if (unknown.length > 0) {
    throw new MasterKeyError(
      `The stored secrets were sealed with master key ${unknown.join(", ")}, but the configured key is ${masterKey().id}. Restore the right key (${e.APP_MASTER_KEY ? "APP_MASTER_KEY" : path.join(e.DATA_DIR, KEY_FILE)}); the server does not start with a key that cannot open them.`,
    );
  }
  // Several instances on one PostgreSQL database must seal with one key, or each would write secrets the
  // others cannot open. The first instance records its key's id; an instance with another key refuses to
  // start, even before any secret is stored. (One SQLite file has one DATA_DIR and so one key file.)
  const recorded = await claimSetting("master_key_id", masterKey().id);
  if (isPostgres() && !keys.some((k) => k.id === recorded)) {
    throw new MasterKeyError(
      `This database is used with master key ${recorded}, but this instance is configured with key ${masterKey().id}. Every instance on one database needs the same key: set APP_MASTER_KEY to the same value on all of them. (If no instance uses key ${recorded} any more and the database holds no secrets, delete the row 'master_key_id' from the settings table.)`,
    );
  }
}

/** Secrets sealed before the endpoint was bound in are sealed again, bound to it (one transaction). */
export async function upgradeSeals(): Promise<number> {
  const key = masterKey();
  const { changed } = await resealAllConnections((row) => {
    if (row.seal_version >= SEAL_VERSION) return null;
    const now = { ...row, seal_version: SEAL_VERSION };
    const secret = open(row.secret_sealed, openingKeys(), connectionAad(row));
    const token = row.session_token_sealed
      ? open(row.session_token_sealed, openingKeys(), tokenAad(row))
      : null;
    return {
      secret_sealed: seal(secret, key, connectionAad(now)),
      session_token_sealed: token === null ? null : seal(token, key, tokenAad(now)),
      seal_version: SEAL_VERSION,
    };
  });
  if (changed > 0) log.info("stored secrets bound to their endpoints", { connections: changed });
  return changed;
}

export const SERVER_LOCK = "server.pid";

/** Marks DATA_DIR as in use by this process (a key rotation refuses to run meanwhile). */
export function holdServerLock(): void {
  const file = path.join(env().DATA_DIR, SERVER_LOCK);
  fs.writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  process.once("exit", () => {
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file);
    } catch {
      // already gone
    }
  });
}

/** The pid of a live server using DATA_DIR, or null. */
export function runningServer(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, SERVER_LOCK), "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
