import { z } from "zod";
import { bucketNameSchema } from "@/lib/validation/buckets";
import { roleAtLeast, roleSchema, type Relation, type Role } from "./roles";

// Where a shared access key may be used: every bucket, or chosen buckets, each optionally narrowed to
// folders. Written once for the server (which enforces it) and the pages (which hide what cannot be used).
//
// A key is inside a folder scope when it starts with the folder's prefix, which always ends in "/": so
// "team-a-old/x" is not inside "team-a/". Keys are plain strings to the store, but some stores, proxies and
// HTTP clients normalise paths, Unicode or percent-encoding; a key that could turn into another path under
// any of those (".", ".." segments, backslashes, control characters, in the raw, NFKC or percent-decoded
// form) is refused inside a folder scope, so no normalisation can carry a request out of it.

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

function decodeRepeatedly(s: string): string {
  let out = s;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(out);
    } catch {
      return out;
    }
    if (next === out) return out;
    out = next;
  }
  return out;
}

/** The forms a path may take after normalisation somewhere between us and the bytes. */
function forms(path: string): string[] {
  const decoded = decodeRepeatedly(path);
  return [path, path.normalize("NFKC"), decoded, decoded.normalize("NFKC")];
}

/** Why a path could escape a folder scope under some normalisation, or null when it cannot. */
export function pathTrick(path: string): "dot-segment" | "backslash" | "control" | null {
  for (const form of forms(path)) {
    if (/[\u0000-\u001f\u007f]/.test(form)) return "control";
    if (form.includes("\\")) return "backslash";
    if (form.split("/").some((seg) => seg === "." || seg === "..")) return "dot-segment";
  }
  return null;
}

/** Whether `path` (a key, or a folder ending in "/") lies inside the folder `prefix` ("" = whole bucket). */
export function within(path: string, prefix: string): boolean {
  if (prefix === "") return true;
  if (pathTrick(path) !== null) return false;
  return forms(path).every((f, i) => f.startsWith(forms(prefix)[i] ?? prefix));
}

export const scopePrefixSchema = z
  .string()
  .refine((p) => utf8Length(p) <= 1024, { error: "must be at most 1024 bytes" })
  .refine((p) => p === "" || p.endsWith("/"), { error: 'must be empty (the whole bucket) or end with "/"' })
  .refine((p) => !p.startsWith("/"), { error: 'must not start with "/"' })
  .refine((p) => p === "" || !p.slice(0, -1).split("/").includes(""), { error: "must not contain //" })
  .refine((p) => pathTrick(p) === null, {
    error: 'must not contain ".", ".." segments, backslashes or control characters',
  });

export const scopeEntrySchema = z.object({ bucket: bucketNameSchema, prefix: scopePrefixSchema.default("") });
export type ScopeEntry = z.output<typeof scopeEntrySchema>;

/** "all": every bucket the key reaches (buckets created later included); else the listed buckets/folders. */
export const scopeSchema = z.union(
  [
    z.literal("all"),
    z
      .array(scopeEntrySchema)
      .min(1, { error: 'must name at least one bucket, or be "all"' })
      .max(100, { error: "must name at most 100 buckets or folders" }),
  ],
  { error: 'must be "all" or a list of { bucket, prefix }' },
);
export type Scope = z.output<typeof scopeSchema>;

export const grantViewSchema = z.object({ role: roleSchema, scope: scopeSchema });
export type GrantView = z.output<typeof grantViewSchema>;

/** What the signed-in user holds on one connection. Owners and administrators are not limited. */
export const accessSchema = z.discriminatedUnion("relation", [
  z.object({ relation: z.literal("owner") }),
  z.object({ relation: z.literal("admin") }),
  z.object({ relation: z.literal("grantee"), grants: z.array(grantViewSchema) }),
]);
export type Access = z.output<typeof accessSchema>;

export function isUnlimited(a: Access): boolean {
  return a.relation !== "grantee";
}

function grantsWith(a: Access, need: Role): GrantView[] {
  if (a.relation !== "grantee") return [{ role: "manager", scope: "all" }];
  return a.grants.filter((g) => roleAtLeast(g.role, need));
}

/** The folders of `bucket` usable with role `need`: "all" for the whole bucket, else a list of prefixes. */
export function prefixesFor(a: Access, need: Role, bucket: string): "all" | string[] {
  const out: string[] = [];
  for (const g of grantsWith(a, need)) {
    if (g.scope === "all") return "all";
    for (const e of g.scope) {
      if (e.bucket !== bucket) continue;
      if (e.prefix === "") return "all";
      out.push(e.prefix);
    }
  }
  return out;
}

export function anyRole(a: Access, need: Role): boolean {
  return grantsWith(a, need).length > 0;
}

/** Buckets visible with role `need`: "all", or the named ones. */
export function bucketsFor(a: Access, need: Role): "all" | Set<string> {
  const out = new Set<string>();
  for (const g of grantsWith(a, need)) {
    if (g.scope === "all") return "all";
    for (const e of g.scope) out.add(e.bucket);
  }
  return out;
}

export function canBucket(a: Access, need: Role, bucket: string, whole: boolean): boolean {
  const p = prefixesFor(a, need, bucket);
  return p === "all" || (!whole && p.length > 0);
}

export function canPath(a: Access, need: Role, bucket: string, path: string): boolean {
  const p = prefixesFor(a, need, bucket);
  return p === "all" || p.some((prefix) => within(path, prefix));
}

/**
 * What a folder listing may show: everything in it, only the way down to the shared folders below it
 * (listing a bucket's root when `team-a/` is shared shows just `team-a/`), or nothing.
 */
export type BrowseView = { kind: "full" } | { kind: "partial"; folders: string[] } | { kind: "denied" };

export function browseView(a: Access, need: Role, bucket: string, prefix: string): BrowseView {
  const p = prefixesFor(a, need, bucket);
  if (p === "all" || p.some((s) => within(prefix, s))) return { kind: "full" };
  if (pathTrick(prefix) !== null) return { kind: "denied" };
  const folders = new Set<string>();
  for (const s of p) {
    if (!s.startsWith(prefix)) continue;
    const next = s.slice(prefix.length).split("/")[0];
    if (next) folders.add(`${prefix}${next}/`);
  }
  return folders.size > 0 ? { kind: "partial", folders: [...folders].sort() } : { kind: "denied" };
}

/** "ml-data/team-a/, ml-data/team-b/" or "all buckets": for messages. */
export function describeScope(scope: Scope): string {
  if (scope === "all") return "all buckets";
  return scope.map((e) => `${e.bucket}/${e.prefix}`).join(", ");
}

export type { Relation };
