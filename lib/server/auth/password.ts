import "server-only";
import { hash, verify } from "@node-rs/argon2";

// Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): memory-hard, about 30 ms here.
// algorithm 2 is Argon2id (the package exports it as a const enum, which isolated modules cannot read).
const PARAMS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A real hash of a random password, verified when the account does not exist so that a wrong username
// costs the same time as a wrong password and timing does not tell which accounts exist.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await dummy, password);
}
