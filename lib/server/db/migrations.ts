import "server-only";
import { sql, type Kysely } from "kysely";

/**
 * Versioned migrations, applied in order at start inside one transaction each. Never edit a shipped
 * migration: add the next version. Written in SQL that SQLite and PostgreSQL both accept. (One edit was made
 * for PostgreSQL: times and sizes in versions 1–3 are "bigint" rather than "integer". SQLite gives both the
 * same INTEGER affinity, so an existing SQLite database is exactly what a new one would be.)
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
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      // Usernames are unique regardless of case: "Alice" and "alice" are one account.
      await sql`create unique index users_username_lower on users (lower(username))`.execute(db);

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_seen_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("user_agent", "text")
        .addColumn("address", "text")
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

      await db.schema
        .createTable("login_throttle")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("failures", "bigint", (c) => c.notNull())
        .addColumn("window_started_at", "bigint", (c) => c.notNull())
        .addColumn("locked_until", "bigint", (c) => c.notNull())
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
        .addColumn("session_token_expires_at", "bigint")
        .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_test", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await sql`create unique index connections_user_name on connections (user_id, lower(name))`.execute(db);
    },
  },
  {
    version: 3,
    name: "links_and_audit_log",
    up: async (db) => {
      await db.schema
        .createTable("links")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("connection_id", "text", (c) => c.references("connections.id").onDelete("set null"))
        .addColumn("bucket", "text", (c) => c.notNull())
        .addColumn("object_key", "text")
        .addColumn("prefix", "text")
        .addColumn("method", "text", (c) => c.notNull().check(sql`method in ('GET', 'PUT')`))
        .addColumn("disposition", "text", (c) => c.notNull())
        .addColumn("content_type", "text")
        .addColumn("max_size_bytes", "bigint")
        .addColumn("signed_at", "bigint", (c) => c.notNull())
        .addColumn("expires_in", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("capped_by_token", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("links_user_created")
        .on("links")
        .columns(["user_id", "created_at"])
        .execute();
      await db.schema
        .createTable("audit_log")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("connection_id", "text")
        .addColumn("bucket", "text")
        .addColumn("object_key", "text")
        .addColumn("prefix", "text")
        .addColumn("method", "text")
        .addColumn("expires_at", "bigint")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_log_created").on("audit_log").column("created_at").execute();
    },
  },
  {
    version: 4,
    name: "teams_grants_audit",
    up: async (db) => {
      await db.schema
        .createTable("teams")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await sql`create unique index teams_name_lower on teams (lower(name))`.execute(db);
      await db.schema
        .createTable("team_members")
        .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("added_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("team_members_pk", ["team_id", "user_id"])
        .execute();
      await db.schema.createIndex("team_members_user").on("team_members").column("user_id").execute();

      // A grant shares one connection with one user or one team. Revoking keeps the row (revoked_at), so
      // the next refused request can say why.
      await db.schema
        .createTable("grants")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("connection_id", "text", (c) =>
          c.notNull().references("connections.id").onDelete("cascade"),
        )
        .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
        .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("cascade"))
        .addColumn("role", "text", (c) =>
          c.notNull().check(sql`role in ('viewer', 'uploader', 'editor', 'manager')`),
        )
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addColumn("revoked_at", "bigint")
        .addCheckConstraint("grants_one_grantee", sql`(user_id is null) <> (team_id is null)`)
        .execute();
      await sql`create unique index grants_live_user on grants (connection_id, user_id) where revoked_at is null and user_id is not null`.execute(
        db,
      );
      await sql`create unique index grants_live_team on grants (connection_id, team_id) where revoked_at is null and team_id is not null`.execute(
        db,
      );
      await db.schema.createIndex("grants_user").on("grants").column("user_id").execute();
      await db.schema.createIndex("grants_team").on("grants").column("team_id").execute();

      // The audit log grows into a record of every change: where from, the outcome, counts and bytes, and
      // the connection's owner (kept in the row, so the owner still sees it after the connection is gone).
      for (const [name, type] of [
        ["owner_id", "text"],
        ["address", "text"],
        ["result", "text"],
        ["error_code", "text"],
        ["count", "bigint"],
        ["bytes", "bigint"],
        ["details", "text"],
      ] as const) {
        await db.schema.alterTable("audit_log").addColumn(name, type).execute();
      }
      await db.schema
        .createIndex("audit_log_owner_created")
        .on("audit_log")
        .columns(["owner_id", "created_at"])
        .execute();
      await db.schema
        .createIndex("audit_log_user_created")
        .on("audit_log")
        .columns(["user_id", "created_at"])
        .execute();
    },
  },
  {
    version: 5,
    name: "single_sign_on",
    up: async (db) => {
      // Users signed in by an OpenID provider are found by (issuer, subject), never by username: a
      // provider's "alice" does not take over a local "alice".
      await db.schema
        .alterTable("users")
        .addColumn("auth_source", "text", (c) => c.notNull().defaultTo("local"))
        .execute();
      await db.schema.alterTable("users").addColumn("oidc_issuer", "text").execute();
      await db.schema.alterTable("users").addColumn("oidc_subject", "text").execute();
      await sql`create unique index users_oidc_identity on users (oidc_issuer, oidc_subject) where oidc_subject is not null`.execute(
        db,
      );
      // A provider session: its sid (for back-channel logout), the refresh token that lets us check the
      // user again with the provider, the ID token (a hint for the provider's sign-out), sealed.
      for (const [name, type] of [
        ["oidc_sid", "text"],
        ["oidc_refresh_sealed", "text"],
        ["oidc_id_token_sealed", "text"],
        ["oidc_checked_at", "bigint"],
      ] as const) {
        await db.schema.alterTable("sessions").addColumn(name, type).execute();
      }
      await db.schema.createIndex("sessions_oidc_sid").on("sessions").column("oidc_sid").execute();
    },
  },
  {
    version: 6,
    name: "sign_in_places",
    up: async (db) => {
      // Where an account has signed in successfully before (an address, or an IPv6 /64): its owner's usual
      // places are not slowed down by the account-wide back-off that guessing from elsewhere causes.
      await db.schema
        .createTable("login_places")
        .addColumn("account", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("last_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("login_places_pk", ["account", "address"])
        .execute();
    },
  },
  {
    version: 7,
    name: "connections_seal_version",
    up: async (db) => {
      // Rows sealed so far are bound to (user, connection, key id); boot re-seals them with the endpoint too.
      await db.schema
        .alterTable("connections")
        .addColumn("seal_version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
    },
  },
  {
    version: 8,
    name: "settings",
    up: async (db) => {
      // Facts every instance on one database must agree on (the id of the master key, first of all).
      await db.schema
        .createTable("settings")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 9,
    name: "shares",
    up: async (db) => {
      // A share page (/s/<token>: a file or folder to download) or an upload request (/u/<token>: a folder
      // outsiders drop files into). Only the token's hash is kept. It acts with its creator's access to the
      // connection, checked again on every request, and goes with the connection or the creator.
      await db.schema
        .createTable("shares")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('download', 'upload')`))
        .addColumn("connection_id", "text", (c) =>
          c.notNull().references("connections.id").onDelete("cascade"),
        )
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("bucket", "text", (c) => c.notNull())
        .addColumn("object_key", "text")
        .addColumn("prefix", "text")
        .addColumn("title", "text")
        .addColumn("code_hash", "text")
        .addColumn("single_use", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("used_at", "bigint")
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("revoked_at", "bigint")
        .addColumn("views", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("downloads", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("max_bytes", "bigint")
        .addColumn("max_files", "bigint")
        .addColumn("max_file_bytes", "bigint")
        .addColumn("extensions", "text")
        .addColumn("bytes_reserved", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("files_reserved", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("shares_user").on("shares").column("user_id").execute();
      await db.schema.createIndex("shares_connection").on("shares").column("connection_id").execute();
      // What an upload request received: one row per file, reserved when planned (so parallel uploads
      // cannot exceed the limits together), done when the store has it, released when cancelled.
      await db.schema
        .createTable("share_files")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("share_id", "text", (c) => c.notNull().references("shares.id").onDelete("cascade"))
        .addColumn("visit", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("object_key", "text", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("upload_id", "text")
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('planned', 'done', 'cancelled')`),
        )
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("signed_at", "bigint", (c) => c.notNull())
        .addColumn("completed_at", "bigint")
        .execute();
      await db.schema
        .createIndex("share_files_key")
        .on("share_files")
        .columns(["share_id", "object_key"])
        .execute();
      await db.schema
        .createIndex("share_files_visit")
        .on("share_files")
        .columns(["share_id", "visit", "path"])
        .execute();
    },
  },
];
