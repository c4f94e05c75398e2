import type { Role } from "./roles";

// Every API route names one operation of this table; the route wrapper (lib/server/http/route.ts) reads it
// to decide, before any handler runs, who may call the route and which buckets, folders and keys the call
// touches. The access matrix test (tests/integration/access-matrix.test.ts) reads the same table, and fails
// for a route whose operation is missing here.

/**
 * Who may call: anyone; any signed-in user; an administrator; the owner of the connection (or an
 * administrator); or anyone holding the connection with at least this role where the call reaches.
 */
export type Who = "public" | "signed-in" | "admin" | "owner" | Role;

/** The parsed input of a request, plus the link record for routes about a saved link. */
export interface OperationInput {
  params: unknown;
  query: unknown;
  body: unknown;
  link?: { bucket: string; key: string | null; prefix: string | null; method: "GET" | "PUT" };
  /** The share a public share-page call goes through: what it shows or fills. */
  share?: { bucket: string; key: string | null; prefix: string | null };
}

/** What one call reaches inside the store, each checked against the caller's scope. */
export interface Targets {
  bucket?: string;
  /** The bucket as a whole (settings, empty, delete): a grant narrowed to folders is not enough. */
  whole?: boolean;
  /** Objects, and folders as prefixes: each must lie inside the scope. */
  paths?: string[];
  /** A listing: may start above the shared folders, and then shows only the way down to them. */
  browse?: { prefix: string; filter?: string };
}

export interface Operation {
  who: Who;
  /**
   * Where the connection id comes from (connection-scoped operations only). "share": a public share page;
   * the call acts with the share's creator's access (`who` is the role the creator needs) and no session.
   */
  connection?: "query" | "params" | "link" | "share";
  /** Share pages: which kind of share the route serves, and whether it works before the code is given. */
  share?: { kind: "download" | "upload"; whileLocked?: true };
  /** A stronger role for some inputs: a PUT link lets people write. */
  upgrade?: { when: (i: OperationInput) => boolean; who: Role };
  targets?: (i: OperationInput) => Targets;
  /** The action written to the audit log, for calls that change something or hand out access. */
  audit?: string;
}

// Accessors that fail closed: a field the table expects but the route did not parse is an error (500),
// never an unchecked target.
function field(source: unknown, name: string): unknown {
  if (typeof source !== "object" || source === null || !(name in source)) {
    throw new Error(`operation table: input has no field ${name}`);
  }
  return (source as Record<string, unknown>)[name];
}
function str(source: unknown, name: string): string {
  const v = field(source, name);
  if (typeof v !== "string") throw new Error(`operation table: ${name} is not a string`);
  return v;
}
function optStr(source: unknown, name: string): string | undefined {
  if (typeof source !== "object" || source === null) throw new Error("operation table: no input");
  const v = (source as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Error(`operation table: ${name} is not a string`);
  return v;
}
function strs(source: unknown, name: string): string[] {
  const v = field(source, name);
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw new Error(`operation table: ${name} is not a list of strings`);
  }
  return v as string[];
}
function items(source: unknown, name: string, key: string): string[] {
  const v = field(source, name);
  if (!Array.isArray(v)) throw new Error(`operation table: ${name} is not a list`);
  return v.map((item: unknown) => str(item, key));
}

const bucketOf = (i: OperationInput) => str(i.params, "bucket");
const wholeBucket = (i: OperationInput): Targets => ({ bucket: bucketOf(i), whole: true });
const keyInQuery = (i: OperationInput): Targets => ({ bucket: bucketOf(i), paths: [str(i.query, "key")] });
const keyInBody = (i: OperationInput): Targets => ({ bucket: bucketOf(i), paths: [str(i.body, "key")] });
function shareOf(i: OperationInput) {
  if (!i.share) throw new Error("operation table: no share");
  return i.share;
}
/** The shared file or folder itself. */
const shareTargets = (i: OperationInput): Targets => {
  const s = shareOf(i);
  return { bucket: s.bucket, paths: [s.key ?? s.prefix ?? ""] };
};
/** A path inside a shared folder (a shared file has only itself). */
const insideShare =
  (relative: string) =>
  (i: OperationInput): Targets => {
    const s = shareOf(i);
    return { bucket: s.bucket, paths: [s.key ?? `${s.prefix ?? ""}${relative}`] };
  };
const linkTargets = (i: OperationInput): Targets => {
  if (!i.link) throw new Error("operation table: no link");
  return { bucket: i.link.bucket, paths: [i.link.key ?? i.link.prefix ?? ""] };
};

export const operations = {
  // Accounts and sign-in: no connection involved.
  "health.read": { who: "public" },
  "auth.setup": { who: "public", audit: "auth.setup" },
  "auth.login": { who: "public" },
  "auth.session": { who: "public" },
  "auth.logout": { who: "signed-in" },
  "auth.sso.start": { who: "public" },
  "auth.sso.callback": { who: "public", audit: "auth.sso" },
  "auth.sso.backchannel-logout": { who: "public" },
  "auth.password": { who: "signed-in", audit: "account.password" },
  "auth.sessions.list": { who: "signed-in" },
  "auth.sessions.revoke": { who: "signed-in" },
  "users.list": { who: "admin" },
  "users.create": { who: "admin", audit: "user.create" },
  "users.delete": { who: "admin", audit: "user.delete" },
  "teams.list": { who: "admin" },
  "teams.create": { who: "admin", audit: "team.create" },
  "teams.update": { who: "admin", audit: "team.update" },
  "teams.delete": { who: "admin", audit: "team.delete" },
  "directory.read": { who: "signed-in" },
  "audit.read": { who: "signed-in" },
  "audit.export": { who: "signed-in" },

  // Connections: anyone may add their own; only the owner (or an administrator) changes or shares one.
  "connections.list": { who: "signed-in" },
  "connections.create": { who: "signed-in", audit: "connection.create" },
  "connections.import": { who: "signed-in", audit: "connection.create" },
  "connection.read": { who: "viewer", connection: "params" },
  "connection.update": { who: "owner", connection: "params", audit: "connection.update" },
  "connection.delete": { who: "owner", connection: "params", audit: "connection.delete" },
  "connection.test": { who: "owner", connection: "params", audit: "connection.test" },
  "grants.list": { who: "owner", connection: "params" },
  "grants.create": { who: "owner", connection: "params", audit: "grant.create" },
  "grants.update": { who: "owner", connection: "params", audit: "grant.update" },
  "grants.delete": { who: "owner", connection: "params", audit: "grant.revoke" },

  // Buckets.
  "buckets.list": { who: "viewer", connection: "query" },
  "buckets.create": {
    who: "manager",
    connection: "query",
    targets: (i) => ({ bucket: str(i.body, "name"), whole: true }),
    audit: "bucket.create",
  },
  "bucket.read": { who: "viewer", connection: "query", targets: (i) => ({ bucket: bucketOf(i) }) },
  "bucket.delete": { who: "manager", connection: "query", targets: wholeBucket, audit: "bucket.delete" },
  "bucket.empty": { who: "manager", connection: "query", targets: wholeBucket, audit: "bucket.empty" },
  "bucket.settings.read": { who: "manager", connection: "query", targets: wholeBucket },
  "bucket.acl.write": { who: "manager", connection: "query", targets: wholeBucket, audit: "bucket.acl" },
  "bucket.cors.write": { who: "manager", connection: "query", targets: wholeBucket, audit: "bucket.cors" },
  "bucket.lifecycle.write": {
    who: "manager",
    connection: "query",
    targets: wholeBucket,
    audit: "bucket.lifecycle",
  },
  "bucket.versioning.write": {
    who: "manager",
    connection: "query",
    targets: wholeBucket,
    audit: "bucket.versioning",
  },

  // Objects.
  "objects.list": {
    who: "viewer",
    connection: "query",
    targets: (i) => ({
      bucket: bucketOf(i),
      browse: { prefix: str(i.query, "prefix"), filter: str(i.query, "filter") },
    }),
  },
  "objects.head": { who: "viewer", connection: "query", targets: keyInQuery },
  "objects.url": { who: "viewer", connection: "query", targets: keyInQuery },
  // Signed GETs for a folder download (a selection, or every object under a folder): handing out reads.
  "objects.download": {
    who: "viewer",
    connection: "query",
    targets: (i) => {
      const prefix = optStr(i.body, "prefix");
      return { bucket: bucketOf(i), paths: prefix !== undefined ? [prefix] : strs(i.body, "keys") };
    },
    audit: "objects.download",
  },
  "objects.summary": {
    who: "viewer",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: [str(i.body, "prefix")] }),
  },
  "objects.delete": {
    who: "editor",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: [...strs(i.body, "keys"), ...strs(i.body, "prefixes")] }),
    audit: "objects.delete",
  },
  "objects.copy": {
    who: "editor",
    connection: "query",
    targets: (i) => {
      const to = str(i.body, "to");
      const rename = optStr(i.body, "rename");
      return {
        bucket: bucketOf(i),
        paths: [
          ...strs(i.body, "keys"),
          ...strs(i.body, "prefixes"),
          // Each copy lands at `to` + its path below `from`: inside `to` once the source is in scope.
          to,
          ...(rename !== undefined ? [`${to}${rename}`, `${to}${rename}/`] : []),
        ],
      };
    },
    audit: "objects.copy",
  },
  "objects.storage-class": {
    who: "editor",
    connection: "query",
    targets: keyInBody,
    audit: "object.storage-class",
  },
  "folders.create": {
    who: "uploader",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: [`${str(i.body, "prefix")}${str(i.body, "name")}/`] }),
    audit: "folder.create",
  },

  "objects.metadata": { who: "editor", connection: "query", targets: keyInBody, audit: "object.metadata" },
  "objects.restore": {
    who: "editor",
    connection: "query",
    targets: (i) => {
      const prefix = optStr(i.body, "prefix");
      return { bucket: bucketOf(i), paths: prefix !== undefined ? [prefix] : strs(i.body, "keys") };
    },
    audit: "objects.restore",
  },

  // Versions (versioned buckets).
  "versions.list": {
    who: "viewer",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: [optStr(i.query, "key") ?? str(i.query, "prefix")] }),
  },
  "versions.restore": { who: "editor", connection: "query", targets: keyInBody, audit: "version.restore" },
  "versions.delete": { who: "editor", connection: "query", targets: keyInBody, audit: "version.delete" },
  "versions.undelete": {
    who: "editor",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: strs(i.body, "keys") }),
    audit: "objects.undelete",
  },

  // Links.
  "links.create": {
    who: "viewer",
    connection: "query",
    upgrade: { when: (i) => str(i.body, "method") === "PUT", who: "uploader" },
    targets: (i) => {
      const key = optStr(i.body, "key");
      return { bucket: bucketOf(i), paths: [key ?? optStr(i.body, "prefix") ?? ""] };
    },
    audit: "link.create",
  },
  "links.list": { who: "signed-in" },
  "links.forget": { who: "signed-in" },
  "link.show": {
    who: "viewer",
    connection: "link",
    upgrade: { when: (i) => i.link?.method === "PUT", who: "uploader" },
    targets: linkTargets,
  },
  "link.export": {
    who: "viewer",
    connection: "link",
    upgrade: { when: (i) => i.link?.method === "PUT", who: "uploader" },
    targets: linkTargets,
    audit: "link.export",
  },

  // Uploads.
  "uploads.plan": {
    who: "uploader",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: items(i.body, "files", "key") }),
    audit: "upload.plan",
  },
  "uploads.conflicts": {
    who: "uploader",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: strs(i.body, "keys") }),
  },
  "uploads.parts.list": { who: "uploader", connection: "query", targets: keyInQuery },
  "uploads.parts.sign": { who: "uploader", connection: "query", targets: keyInBody },
  "uploads.complete": { who: "uploader", connection: "query", targets: keyInBody, audit: "upload.complete" },
  "uploads.abort": { who: "uploader", connection: "query", targets: keyInBody, audit: "upload.abort" },
  "uploads.report": {
    who: "uploader",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), paths: [str(i.body, "prefix")] }),
    audit: "upload.batch",
  },
  "uploads.incomplete": {
    who: "uploader",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), browse: { prefix: str(i.query, "prefix") } }),
  },
  "uploads.abort-stale": {
    who: "uploader",
    connection: "query",
    targets: (i) => ({ bucket: bucketOf(i), browse: { prefix: str(i.body, "prefix") } }),
    audit: "upload.abort-stale",
  },

  // Share pages (/s/<token>) and upload requests (/u/<token>): the owner's side…
  "shares.create": {
    who: "viewer",
    connection: "query",
    upgrade: { when: (i) => str(i.body, "kind") === "upload", who: "uploader" },
    targets: (i) => {
      const key = optStr(i.body, "key");
      return { bucket: bucketOf(i), paths: [key ?? optStr(i.body, "prefix") ?? ""] };
    },
    audit: "share.create",
  },
  "shares.list": { who: "signed-in" },
  "share.update": { who: "signed-in", audit: "share.update" },
  "share.revoke": { who: "signed-in", audit: "share.revoke" },
  "share.files": { who: "signed-in" },
  // …and the public side, with no session: each call acts as the share's creator, whose access is checked
  // again every time (a share dies with it).
  "share.open": {
    who: "viewer",
    connection: "share",
    share: { kind: "download", whileLocked: true },
    targets: shareTargets,
    audit: "share.view",
  },
  "share.unlock": {
    who: "viewer",
    connection: "share",
    share: { kind: "download", whileLocked: true },
    targets: shareTargets,
    audit: "share.unlock",
  },
  "share.list": {
    who: "viewer",
    connection: "share",
    share: { kind: "download" },
    targets: (i) => insideShare(str(i.query, "prefix"))(i),
  },
  "share.download": {
    who: "viewer",
    connection: "share",
    share: { kind: "download" },
    targets: (i) => insideShare(str(i.body, "key"))(i),
    audit: "share.download",
  },
  "upload-request.open": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload", whileLocked: true },
    targets: shareTargets,
    audit: "upload-request.view",
  },
  "upload-request.unlock": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload", whileLocked: true },
    targets: shareTargets,
    audit: "upload-request.unlock",
  },
  "upload-request.plan": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload" },
    targets: shareTargets,
    audit: "upload-request.plan",
  },
  "upload-request.parts": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload" },
    targets: shareTargets,
  },
  "upload-request.complete": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload" },
    targets: shareTargets,
    audit: "upload-request.upload",
  },
  "upload-request.abort": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload" },
    targets: shareTargets,
    audit: "upload-request.abort",
  },
  "upload-request.files": {
    who: "uploader",
    connection: "share",
    share: { kind: "upload" },
    targets: shareTargets,
  },
} satisfies Record<string, Operation>;

export type OperationName = keyof typeof operations;

export function operation(name: OperationName): Operation {
  return operations[name];
}

/** The role an operation needs for this input (a PUT link needs more than a GET link). */
export function neededRole(op: Operation, input: OperationInput): Role | null {
  if (op.who === "public" || op.who === "signed-in" || op.who === "admin" || op.who === "owner") return null;
  if (op.upgrade?.when(input)) return op.upgrade.who;
  return op.who;
}
