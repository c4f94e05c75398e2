import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { decodeKey, loadOrCreateKeyFile } from "@/lib/server/crypto/master-key";
import { associatedData, open, seal, sealedKeyId } from "@/lib/server/crypto/secret-box";
import { tempDir } from "../helpers/temp-dir";

const key = () => decodeKey(randomBytes(32).toString("base64"), "test");

describe("secret box (AES-256-GCM)", () => {
  const k = key();
  const row = associatedData(["connection", "user-1", "conn-1", "AKID"]);

  it("round-trips, with a fresh nonce every time", () => {
    const a = seal("s3cr3t/Key+value", k, row);
    const b = seal("s3cr3t/Key+value", k, row);
    expect(a).not.toEqual(b);
    expect(a.startsWith(`v1.${k.id}.`)).toBe(true);
    expect(sealedKeyId(a)).toBe(k.id);
    expect(open(a, k, row)).toBe("s3cr3t/Key+value");
    expect(a).not.toContain("s3cr3t");
  });

  it("fails on a tampered ciphertext", () => {
    const sealed = seal("value", k, row);
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0]! ^= 1;
    parts[3] = ct.toString("base64url");
    expect(() => open(parts.join("."), k, row)).toThrow(/failed authentication/);
  });

  it("fails under another master key, and never returns the raw value", () => {
    const sealed = seal("value", k, row);
    const other = key();
    expect(() => open(sealed, other, row)).toThrow(/not the configured master key/);
    // Even if the id matched, a wrong key fails authentication.
    expect(() => open(sealed, { id: k.id, key: other.key }, row)).toThrow(/failed authentication/);
  });

  it("fails when moved to another row (associated data differs)", () => {
    const sealed = seal("value", k, row);
    expect(() => open(sealed, k, associatedData(["connection", "user-2", "conn-1", "AKID"]))).toThrow();
    expect(() => open(sealed, k, associatedData(["connection", "user-1", "conn-2", "AKID"]))).toThrow();
    expect(() => open(sealed, k, associatedData(["connection", "user-1", "conn-1", "OTHER"]))).toThrow();
  });

  it("opens with any of several keys during rotation", () => {
    const old = key();
    const sealed = seal("value", old, row);
    expect(open(sealed, [k, old], row)).toBe("value");
  });

  it("refuses garbage", () => {
    expect(() => open("plaintext", k, row)).toThrow(/known version/);
    expect(() => open(`v1.${k.id}.AAAA.AAAA`, k, row)).toThrow(/truncated/);
  });
});

describe("master key file", () => {
  it("is created once with mode 0600 and read back the same", () => {
    const dir = tempDir("obm-key-");
    const a = loadOrCreateKeyFile(dir);
    const b = loadOrCreateKeyFile(dir);
    expect(a.key.equals(b.key)).toBe(true);
    expect(a.key).toHaveLength(32);
    expect(fs.statSync(path.join(dir, "master.key")).mode & 0o777).toBe(0o600);
  });

  it("tightens a key file that others can read", () => {
    const dir = tempDir("obm-key-");
    loadOrCreateKeyFile(dir);
    fs.chmodSync(path.join(dir, "master.key"), 0o644);
    loadOrCreateKeyFile(dir);
    expect(fs.statSync(path.join(dir, "master.key")).mode & 0o777).toBe(0o600);
  });

  it("refuses a key of the wrong length", () => {
    expect(() => decodeKey(randomBytes(31).toString("base64"), "APP_MASTER_KEY")).toThrow(/32 random bytes/);
  });
});
