// Row types of every table. Times are milliseconds since the epoch (INTEGER), ids are random text.

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: "admin" | "user";
  created_at: number;
  updated_at: number;
  /** "local" (password here) or "oidc" (signed in by the OpenID provider; no password here). */
  auth_source: "local" | "oidc";
  oidc_issuer: string | null;
  oidc_subject: string | null;
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
  oidc_sid: string | null;
  oidc_refresh_sealed: string | null;
  oidc_id_token_sealed: string | null;
  oidc_checked_at: number | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number;
}

export interface LoginPlacesTable {
  /** The username as typed, lowercased (known or not: the table never tells which accounts exist). */
  account: string;
  /** The address key (an IPv4 address, or an IPv6 /64). */
  address: string;
  last_at: number;
}

export interface ConnectionsTable {
  id: string;
  user_id: string;
  name: string;
  provider: "obs" | "s3";
  region: string;
  endpoint: string;
  addressing: "virtual" | "path";
  /** Not a secret (it names the key), kept in clear to mask and to bind the ciphertexts to. */
  access_key_id: string;
  /** The secret access key, sealed (lib/server/crypto/secret-box.ts); never stored in clear. */
  secret_sealed: string;
  session_token_sealed: string | null;
  session_token_expires_at: number | null;
  /** Which identity the sealed values are bound to (2: with the endpoint; see connections-crypto.ts). */
  seal_version: number;
  is_default: number;
  /** JSON of the last connection test (lib/validation/connections.ts connectionTestSchema). */
  last_test: string | null;
  created_at: number;
  updated_at: number;
}

export interface LinksTable {
  id: string;
  user_id: string;
  /** Null once the connection is deleted: the link can no longer be signed again. */
  connection_id: string | null;
  bucket: string;
  object_key: string | null;
  prefix: string | null;
  method: "GET" | "PUT";
  disposition: "attachment" | "inline";
  content_type: string | null;
  max_size_bytes: number | null;
  /** The signing time and lifetime: enough to sign the same URL again. No signature is stored. */
  signed_at: number;
  expires_in: number;
  expires_at: number;
  capped_by_token: number;
  created_at: number;
}

export interface AuditLogTable {
  id: string;
  /** Kept as text, not a foreign key: the record outlives the user. */
  user_id: string;
  username: string;
  action: string;
  connection_id: string | null;
  bucket: string | null;
  object_key: string | null;
  prefix: string | null;
  method: string | null;
  expires_at: number | null;
  created_at: number;
  /** The owner of the connection acted on: owners read the log of their own connections. */
  owner_id: string | null;
  address: string | null;
  /** "ok", "denied" or "error". Older rows (links only) have null: they were all "ok". */
  result: string | null;
  /** Our error code, or the store's (AccessDenied, NoSuchKey, …). */
  error_code: string | null;
  count: number | null;
  bytes: number | null;
  /** JSON with anything else worth keeping (keys of a small delete, the role of a grant, …). */
  details: string | null;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  added_at: number;
}

export interface GrantsTable {
  id: string;
  connection_id: string;
  /** Exactly one of user_id and team_id is set. */
  user_id: string | null;
  team_id: string | null;
  role: "viewer" | "uploader" | "editor" | "manager";
  /** JSON of lib/access/scope.ts scopeSchema: "all" or [{ bucket, prefix }]. */
  scope: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

export interface SharesTable {
  id: string;
  /** SHA-256 of the token in the page's address; the token itself is shown once, at creation. */
  token_hash: string;
  kind: "download" | "upload";
  connection_id: string;
  /** The creator: the share acts with their access to the connection, checked on every request. */
  user_id: string;
  bucket: string;
  /** A shared file (download shares of one file). */
  object_key: string | null;
  /** A shared folder, or the folder an upload request fills ("" is the bucket's top). */
  prefix: string | null;
  title: string | null;
  /** Argon2id hash of the access code, or null for none. */
  code_hash: string | null;
  single_use: number;
  used_at: number | null;
  expires_at: number;
  revoked_at: number | null;
  views: number;
  downloads: number;
  max_bytes: number | null;
  max_files: number | null;
  max_file_bytes: number | null;
  /** JSON array of allowed extensions (lowercase, without the dot), or null for any. */
  extensions: string | null;
  bytes_reserved: number;
  files_reserved: number;
  created_at: number;
  updated_at: number;
}

export interface ShareFilesTable {
  id: string;
  share_id: string;
  /** The uploader's visit (a random id kept in their browser): they see only what they sent. */
  visit: string;
  /** The file's path as the uploader sent it (their name for it); object_key is where it landed. */
  path: string;
  object_key: string;
  size: number;
  upload_id: string | null;
  status: "planned" | "done" | "cancelled";
  created_at: number;
  /** When its upload URL was last signed: a one-PUT file not in the store an hour later was given up. */
  signed_at: number;
  completed_at: number | null;
}

export interface SettingsTable {
  name: string;
  value: string;
  updated_at: number;
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
  login_places: LoginPlacesTable;
  connections: ConnectionsTable;
  links: LinksTable;
  audit_log: AuditLogTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  grants: GrantsTable;
  shares: SharesTable;
  share_files: ShareFilesTable;
  settings: SettingsTable;
  schema_migrations: SchemaMigrationsTable;
}
