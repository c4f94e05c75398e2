import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKey } from "./master-key";

// Format: v1.<key id>.<nonce b64url>.<ciphertext+tag b64url>. AES-256-GCM with a random 96-bit nonce.
const VERSION = "v1";

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** Binds a ciphertext to the row it belongs to: moved to another row, it no longer opens. */
export function associatedData(parts: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify(parts), "utf8");
}

export function seal(plaintext: string, key: MasterKey, aad: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, key.id, nonce.toString("base64url"), ct.toString("base64url")].join(".");
}

export function sealedKeyId(sealed: string): string {
  const [version, keyId] = sealed.split(".");
  if (version !== VERSION || !keyId) throw new SecretBoxError("not a sealed secret of a known version");
  return keyId;
}

/** Opens a sealed secret or throws: a wrong key, a changed byte or another row's data never yield a value. */
export function open(sealed: string, keys: MasterKey | readonly MasterKey[], aad: Buffer): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION)
    throw new SecretBoxError("not a sealed secret of a known version");
  const [, keyId, nonceB64, ctB64] = parts as [string, string, string, string];
  const key = (Array.isArray(keys) ? keys : [keys]).find((k: MasterKey) => k.id === keyId);
  if (!key) throw new SecretBoxError(`sealed under key ${keyId}, which is not the configured master key`);
  const nonce = Buffer.from(nonceB64, "base64url");
  const data = Buffer.from(ctB64, "base64url");
  if (nonce.length !== 12 || data.length < 16) throw new SecretBoxError("sealed secret is truncated");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretBoxError("sealed secret failed authentication (tampered, moved, or another key)");
  }
}
