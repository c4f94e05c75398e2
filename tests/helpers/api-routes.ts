import fs from "node:fs";
import path from "node:path";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];
type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

export interface ApiRoute {
  /** e.g. /api/users/[id] */
  path: string;
  segments: string[];
  file: string;
}

const apiRoot = path.join(__dirname, "..", "..", "app", "api");

/** Every route under app/api, found by walking the folder, so a new route is covered without a list. */
export function findApiRoutes(dir = apiRoot, segments: string[] = []): ApiRoute[] {
  const out: ApiRoute[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findApiRoutes(p, [...segments, entry.name]));
    else if (entry.name === "route.ts") out.push({ path: `/api/${segments.join("/")}`, segments, file: p });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function loadHandlers(route: ApiRoute): Partial<Record<Method, Handler>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(route.file) as Partial<Record<Method, Handler>>;
}

/** Matches a concrete path such as /api/users/abc to its route file and its [params]. */
export function matchRoute(
  routes: ApiRoute[],
  pathname: string,
): { route: ApiRoute; params: Record<string, string | string[]> } | null {
  const parts = pathname
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  // Static segments win over dynamic ones, as in Next's router.
  const ranked = [...routes].sort(
    (a, b) =>
      a.segments.filter((s) => s.startsWith("[")).length - b.segments.filter((s) => s.startsWith("[")).length,
  );
  for (const route of ranked) {
    const params: Record<string, string | string[]> = {};
    let ok = true;
    let i = 0;
    for (const seg of route.segments) {
      const catchAll = /^\[\[?\.\.\.(.+?)\]\]?$/.exec(seg);
      if (catchAll?.[1]) {
        params[catchAll[1]] = parts.slice(i);
        i = parts.length;
        break;
      }
      const dynamic = /^\[(.+)\]$/.exec(seg);
      const part = parts[i];
      if (part === undefined) {
        ok = false;
        break;
      }
      if (dynamic?.[1]) params[dynamic[1]] = part;
      else if (seg !== part) {
        ok = false;
        break;
      }
      i++;
    }
    if (ok && i === parts.length) return { route, params };
  }
  return null;
}
