import type { Generated } from "kysely";

// Row types of every table. Times are milliseconds since the epoch (INTEGER), ids are random text.

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: "admin" | "user";
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string | null;
  address: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  schema_migrations: SchemaMigrationsTable;
}

export type Id = Generated<string>;
