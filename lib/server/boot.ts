import "server-only";
import { env } from "./env";
import { db } from "./db";
import { masterKey } from "./crypto/master-key";
import { log } from "./log";
import { pruneAuditLog } from "./audit";

export async function boot(): Promise<void> {
  const e = env();
  await db();
  masterKey();
  await pruneAuditLog();
  log.info("ready", { dataDir: e.DATA_DIR, allowPrivateEndpoints: e.ALLOW_PRIVATE_ENDPOINTS });
}
