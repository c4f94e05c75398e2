import "server-only";
import { env } from "./env";
import { closeDb, db } from "./db";
import { onShutdown } from "./lifecycle";
import { checkMasterKey, holdServerLock, upgradeSeals } from "./crypto/key-check";
import { log } from "./log";
import { pruneAuditLog } from "./audit";

export async function boot(): Promise<void> {
  const e = env();
  await db();
  // Before anything uses the key: refuse a missing or wrong key rather than make a new one over secrets.
  await checkMasterKey();
  await upgradeSeals();
  holdServerLock();
  await pruneAuditLog();
  onShutdown(async () => {
    await closeDb();
    log.info("stopped: database closed");
  });
  log.info("ready", { dataDir: e.DATA_DIR, allowPrivateEndpoints: e.ALLOW_PRIVATE_ENDPOINTS });
}

/**
 * Next would log a failed start and then fail every request with it: a server that cannot start stops
 * instead, so its supervisor (and a load balancer) sees it, and says why once.
 */
export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (err) {
    process.stderr.write(
      `OBS Bucket Manager cannot start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  }
}
