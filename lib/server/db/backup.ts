import "server-only";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { databaseFile, isPostgres } from "./index";

export interface BackupResult {
  file: string;
  bytes: number;
  tables: Record<string, number>;
}

/**
 * A consistent copy of the SQLite database while the app keeps running, through SQLite's online backup API
 * on a connection of its own. The copy is taken in one step (one read snapshot: with WAL, writers are not
 * held up and the copy never restarts half-way), written beside the target and renamed into place, so a
 * cut-off backup never looks like a finished one. The master key is not in the database: back it up apart.
 */
export async function backupSqlite(target: string): Promise<BackupResult> {
  if (isPostgres()) {
    throw new Error("DATABASE_URL points at PostgreSQL: back it up with pg_dump (see the README).");
  }
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new Error(`${file} already exists: choose a new file name.`);
  if (!fs.existsSync(path.dirname(file))) throw new Error(`The folder ${path.dirname(file)} does not exist.`);
  if (!fs.existsSync(databaseFile())) throw new Error(`There is no database at ${databaseFile()}.`);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  // Created 0600 first: the copy holds password hashes and sealed secrets, as the original does.
  fs.closeSync(fs.openSync(partial, "wx", 0o600));
  const source = new SQLite(databaseFile(), { readonly: true, fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }
  const copy = new SQLite(partial, { readonly: true, fileMustExist: true });
  let tables: Record<string, number>;
  try {
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`The copy failed SQLite's integrity check: ${String(check)}`);
    const names = copy
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .pluck()
      .all() as string[];
    tables = Object.fromEntries(
      names.map((n) => [n, Number(copy.prepare(`select count(*) from "${n}"`).pluck().get())]),
    );
  } catch (err) {
    copy.close();
    fs.rmSync(partial, { force: true });
    throw err;
  }
  copy.close();
  fs.renameSync(partial, file);
  return { file, bytes: fs.statSync(file).size, tables };
}
