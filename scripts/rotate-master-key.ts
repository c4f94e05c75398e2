// `npm run secrets:rotate`: re-encrypts every stored secret under a new master key. Stop the app first.
//   Key file (default):        npm run secrets:rotate                     (generates the new key)
//   APP_MASTER_KEY in the env: NEW_APP_MASTER_KEY=… npm run secrets:rotate, then restart with the new key
// Runs with tsx under the react-server condition so it uses the server's own modules.
import { loadEnvConfig } from "@next/env";

loadEnvConfig(process.cwd(), false);

async function main() {
  const { rotateMasterKey } = await import("../lib/server/crypto/rotate");
  const { closeDb } = await import("../lib/server/db");
  const r = await rotateMasterKey(process.env.NEW_APP_MASTER_KEY || undefined);
  await closeDb();
  process.stdout.write(
    `Re-encrypted ${r.resealed} of ${r.total} stored connection(s): key ${r.oldKeyId} → ${r.newKeyId}.\n` +
      (r.mode === "key-file"
        ? "The new key is in DATA_DIR/master.key; the old one was moved to DATA_DIR/master.key.old.\n" +
          "Start the app and check your connections, then delete master.key.old (backups taken before now need it).\n"
        : "Now set APP_MASTER_KEY to the value of NEW_APP_MASTER_KEY and restart the app.\n"),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Rotation failed, nothing was changed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
