// `npm run db:backup FILE`: a consistent copy of the SQLite database, taken while the app runs.
// Runs with tsx under the react-server condition so it uses the server's own modules.
import { loadEnvConfig } from "@next/env";

loadEnvConfig(process.cwd(), false);

async function main() {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write("Usage: npm run db:backup FILE   (FILE must not exist yet)\n");
    process.exit(2);
  }
  const { backupSqlite } = await import("../lib/server/db/backup");
  const r = await backupSqlite(target);
  const rows = Object.entries(r.tables)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  process.stdout.write(
    `Backed up the database to ${r.file} (${r.bytes} bytes; ${rows}).\n` +
      "The secrets in it are sealed with the master key (DATA_DIR/master.key or APP_MASTER_KEY): back the key up too, but not beside this file.\n",
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`Backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
