import "server-only";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type SelectQueryBuilder,
  type SqliteDatabase,
  type Transaction,
} from "kysely";
import pg from "pg";
import { env } from "../env";
import { log } from "../log";
import { migrations } from "./migrations";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

let opened: Promise<Db> | undefined;

/**
 * The database, opened and migrated once per process: SQLite in DATA_DIR by default, PostgreSQL when
 * DATABASE_URL is set (several instances on one database). Callers go through the table modules next to
 * this file, never through SQL of their own; where the two differ (row locks), the difference is here.
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

export const isPostgres = () => env().DATABASE_URL !== undefined;

// PostgreSQL hands BIGINT columns (our times, counts and sizes) back as strings; they fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Kysely asks SQLite to compile every query anew (prepare), which cost about as much as running it: a third
 * of the database time of a session-checked request (npm run bench:api). Compiled statements are kept by
 * their SQL text, the most recent 500. Safe because Kysely runs one query at a time on this connection, and
 * SQLite recompiles a kept statement by itself when the schema changes.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let stmt = cache.get(query);
      if (stmt) {
        cache.delete(query); // most recently used last
      } else {
        stmt = sqlite.prepare(query);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      }
      cache.set(query, stmt);
      return stmt;
    },
  };
}

async function open(): Promise<Db> {
  const e = env();
  if (e.DATABASE_URL) {
    const pool = new pg.Pool({
      connectionString: e.DATABASE_URL,
      max: e.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 10_000,
      application_name: "obs-bucket-manager",
      // The HTTP server keeps a running app alive; a script or test that is done should not wait on idle
      // database connections.
      allowExitOnIdle: true,
    });
    // An idle connection that PostgreSQL drops (restart, failover) must not take the process down: the
    // pool replaces it on the next query.
    pool.on("error", (err) => log.warn("database connection lost", { error: err.message }));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(kysely);
    return kysely;
  }
  const dir = e.DATA_DIR;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Created 0600 before SQLite opens it: its -wal and -shm files inherit the mode, and the database holds
  // password hashes and sealed secrets.
  fs.closeSync(fs.openSync(databaseFile(), "a", 0o600));
  const sqlite = new SQLite(databaseFile());
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  await migrate(kysely);
  return kysely;
}

/**
 * Locks the rows a transaction is about to decide on (PostgreSQL: FOR UPDATE). SQLite runs one write
 * transaction at a time (and Kysely one transaction per connection), so there it is already exclusive.
 */
export function lockRows<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return isPostgres() ? q.forUpdate() : q;
}

/**
 * A lock for decisions no row can carry ("is there any user yet?"), held to the end of the transaction:
 * PostgreSQL's advisory lock; nothing to do on SQLite (transactions are serialised there).
 */
export async function exclusive(trx: Transaction<Database>, name: string): Promise<void> {
  if (isPostgres()) await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}

/** The newest migration this code knows, and the one the database is at (readiness checks). */
export async function schemaVersion(): Promise<{ current: number; latest: number }> {
  const row = await (
    await db()
  )
    .selectFrom("schema_migrations")
    .select((eb) => eb.fn.max("version").as("v"))
    .executeTakeFirst();
  return { current: Number(row?.v ?? 0), latest: Math.max(...migrations.map((m) => m.version)) };
}

export async function migrate(kysely: Db): Promise<number[]> {
  await kysely.transaction().execute(async (trx) => {
    await exclusive(trx, "obm.migrate");
    await trx.schema
      .createTable("schema_migrations")
      .ifNotExists()
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("applied_at", "bigint", (c) => c.notNull())
      .execute();
  });
  const done = new Set(
    (await kysely.selectFrom("schema_migrations").select("version").execute()).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await kysely.transaction().execute(async (trx) => {
      // Instances starting together on one PostgreSQL database: one migrates, the others wait and skip.
      await exclusive(trx as unknown as Transaction<Database>, "obm.migrate");
      const again = await trx
        .selectFrom("schema_migrations")
        .select("version")
        .where("version", "=", m.version)
        .executeTakeFirst();
      if (again) return;
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
