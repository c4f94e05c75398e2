import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { resealAllConnections } from "../db/connections";
import { connectionAad, tokenAad } from "../connections-crypto";
import {
  decodeKey,
  masterKey,
  NEXT_KEY_FILE,
  OLD_KEY_FILE,
  KEY_FILE,
  openingKeys,
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

function resealUnder(to: MasterKey, from: MasterKey[]) {
  return resealAllConnections((row) => {
    const secretDone = sealedKeyId(row.secret_sealed) === to.id;
    const tokenDone = !row.session_token_sealed || sealedKeyId(row.session_token_sealed) === to.id;
    if (secretDone && tokenDone) return null;
    const secret = open(row.secret_sealed, from, connectionAad(row));
    const token = row.session_token_sealed ? open(row.session_token_sealed, from, tokenAad(row)) : null;
    return {
      secret_sealed: seal(secret, to, connectionAad(row)),
      session_token_sealed: token === null ? null : seal(token, to, tokenAad(row)),
    };
  });
}

/**
 * Re-encrypts every stored secret under a new master key, in one transaction. Stop the app first.
 *
 * Key-file mode (no APP_MASTER_KEY): the new key is written to master.key.next first, the rows are re-sealed,
 * then master.key becomes master.key.old and master.key.next becomes master.key. If it stops half-way, the app
 * still opens every secret (it also reads master.key.next) and running it again finishes the job.
 *
 * Environment mode: pass the new key as NEW_APP_MASTER_KEY; afterwards start the app with it as
 * APP_MASTER_KEY.
 */
export async function rotateMasterKey(newKeyBase64?: string): Promise<RotationResult> {
  const e = env();
  const current = masterKey();
  if (e.APP_MASTER_KEY) {
    if (!newKeyBase64) {
      throw new Error(
        "APP_MASTER_KEY is set: pass the new key as NEW_APP_MASTER_KEY (openssl rand -base64 32).",
      );
    }
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
  const nextFile = path.join(dir, NEXT_KEY_FILE);
  if (!fs.existsSync(nextFile)) {
    const key = newKeyBase64 ? decodeKey(newKeyBase64, "NEW_APP_MASTER_KEY").key : randomBytes(32);
    const fd = fs.openSync(nextFile, "wx", 0o600);
    fs.writeSync(fd, `${key.toString("base64")}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  const next = decodeKey(fs.readFileSync(nextFile, "utf8"), nextFile);
  const r = await resealUnder(next, [...openingKeys(), next]);
  fs.renameSync(path.join(dir, KEY_FILE), path.join(dir, OLD_KEY_FILE));
  fs.renameSync(nextFile, path.join(dir, KEY_FILE));
  resetMasterKeyCache();
  return { mode: "key-file", oldKeyId: current.id, newKeyId: next.id, resealed: r.changed, total: r.total };
}
