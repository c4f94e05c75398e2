import "server-only";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { env } from "../env";
import { migrations } from "./migrations";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

let opened: Promise<Db> | undefined;

/**
 * The database, opened and migrated once per process. Callers go through the table modules next to this
 * file, never through SQL of their own, so that a PostgreSQL dialect can replace SQLite without touching them.
 */
export function db(): Promise<Db> {
  opened ??= open().catch((err: unknown) => {
    opened = undefined;
    throw err;
  });
  return opened;
}

export function databaseFile(): string {
  return path.join(env().DATA_DIR, "app.db");
}

async function open(): Promise<Db> {
  const dir = env().DATA_DIR;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Created 0600 before SQLite opens it: its -wal and -shm files inherit the mode, and the database holds
  // password hashes and sealed secrets.
  fs.closeSync(fs.openSync(databaseFile(), "a", 0o600));
  const sqlite = new SQLite(databaseFile());
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(kysely);
  return kysely;
}

export async function migrate(kysely: Db): Promise<number[]> {
  await kysely.schema
    .createTable("schema_migrations")
    .ifNotExists()
    .addColumn("version", "integer", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("applied_at", "integer", (c) => c.notNull())
    .execute();
  const done = new Set(
    (await kysely.selectFrom("schema_migrations").select("version").execute()).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await kysely.transaction().execute(async (trx) => {
      await m.up(trx as unknown as Kysely<unknown>);
      await trx
        .insertInto("schema_migrations")
        .values({ version: m.version, name: m.name, applied_at: Date.now() })
        .execute();
    });
    applied.push(m.version);
  }
  return applied;
}

export async function databaseHealthy(): Promise<boolean> {
  try {
    const kysely = await db();
    await sql`select 1`.execute(kysely);
    return true;
  } catch {
    return false;
  }
}

/** For tests and shutdown: closes the connection so the next `db()` opens it again. */
export async function closeDb(): Promise<void> {
  const current = opened;
  opened = undefined;
  if (current) await (await current).destroy();
}
