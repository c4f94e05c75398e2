import type { Scope, ScopeEntry } from "./scope";

// The sharing form writes a scope as lines, one bucket or folder each, the way people copy paths:
// "ml-data", "ml-data/team-a/", "obs://ml-data/team-a/" or "s3://ml-data/team-a/" all work.

/** Lines to scope entries (not yet validated: the scope schema names what is wrong with each). */
export function parseScopeLines(text: string): { bucket: string; prefix: string }[] {
  return text
    .split(/\r?\n/)
    .map((l) =>
      l
        .trim()
        .replace(/^(obs|s3):\/\//i, "")
        .replace(/^\/+/, ""),
    )
    .filter(Boolean)
    .map((l) => {
      const slash = l.indexOf("/");
      if (slash < 0) return { bucket: l, prefix: "" };
      const prefix = l.slice(slash + 1);
      return {
        bucket: l.slice(0, slash),
        prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
      };
    });
}

export function formatScopeEntry(e: ScopeEntry): string {
  return `${e.bucket}${e.prefix ? `/${e.prefix}` : ""}`;
}

export function formatScopeLines(scope: Scope): string {
  return scope === "all" ? "" : scope.map(formatScopeEntry).join("\n");
}
