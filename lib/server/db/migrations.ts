import "server-only";
import { sql, type Kysely } from "kysely";

/**
 * Versioned migrations, applied in order at start inside one transaction each. Never edit a shipped
 * migration: add the next version. Written in plain SQL that SQLite and PostgreSQL both accept where it can.
 */
export interface Migration {
  version: number;
  name: string;
  up: (db: Kysely<unknown>) => Promise<void>;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: "users_sessions_throttle",
    up: async (db) => {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'user')`))
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .execute();
      // Usernames are unique regardless of case: "Alice" and "alice" are one account.
      await sql`create unique index users_username_lower on users (lower(username))`.execute(db);

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("last_seen_at", "integer", (c) => c.notNull())
        .addColumn("expires_at", "integer", (c) => c.notNull())
        .addColumn("user_agent", "text")
        .addColumn("address", "text")
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

      await db.schema
        .createTable("login_throttle")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("window_started_at", "integer", (c) => c.notNull())
        .addColumn("locked_until", "integer", (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 2,
    name: "connections",
    up: async (db) => {
      await db.schema
        .createTable("connections")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("provider", "text", (c) => c.notNull().check(sql`provider in ('obs', 's3')`))
        .addColumn("region", "text", (c) => c.notNull())
        .addColumn("endpoint", "text", (c) => c.notNull())
        .addColumn("addressing", "text", (c) => c.notNull().check(sql`addressing in ('virtual', 'path')`))
        .addColumn("access_key_id", "text", (c) => c.notNull())
        .addColumn("secret_sealed", "text", (c) => c.notNull())
        .addColumn("session_token_sealed", "text")
        .addColumn("session_token_expires_at", "integer")
        .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_test", "text")
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .execute();
      await sql`create unique index connections_user_name on connections (user_id, lower(name))`.execute(db);
    },
  },
];
