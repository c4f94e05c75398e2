// Reads a V8 CPU profile (node --cpu-prof) of the app server and says where its CPU time went: self time of
// every sample, mapped through the build's source maps back to the source file it came from (ours, a
// package, Node itself), grouped into the parts the API benchmark reports on.
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(import.meta.dirname, "..");

const maps = new Map();
function sourceMapFor(file) {
  if (!maps.has(file)) {
    let map = null;
    try {
      // The file's own sourceMappingURL comment names its map (the browser's chunks are hashed apart from
      // their maps); the server's chunks sit beside theirs.
      const named = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(file, "utf8").slice(-500))?.[1];
      const mapFile =
        named && !named.startsWith("data:") ? path.join(path.dirname(file), named) : `${file}.map`;
      map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, "utf8")));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** The build's file behind a URL the page loaded its code from (/_next/static/…), or null. */
function servedFile(url) {
  try {
    const { pathname } = new URL(url);
    return pathname.startsWith("/_next/") ? path.join(root, ".next", pathname.slice("/_next/".length)) : null;
  } catch {
    return null;
  }
}

/**
 * Where a call frame's code came from: an original source path, or Node's own module name; with `line`, the
 * line in that source too (file:line), to tell the functions of one file apart.
 */
function origin(frame, line = false) {
  const { url, lineNumber, columnNumber, functionName } = frame;
  if (!url)
    return functionName?.startsWith("(") ? functionName : functionName ? `(${functionName})` : "(native)";
  if (url.startsWith("node:")) return url;
  const file = url.startsWith("file://") ? fileURLToPath(url) : (servedFile(url) ?? url);
  const map = file.includes("/.next/") ? sourceMapFor(file) : null;
  const entry = map?.findEntry(lineNumber, columnNumber);
  if (!entry?.originalSource) return file;
  return line ? `${entry.originalSource}:${entry.originalLine + 1}` : entry.originalSource;
}

/** Which part of the request path a source file belongs to. */
export function partOf(source) {
  const s = source.replaceAll("\\", "/");
  if (s === "(idle)") return "idle";
  if (s === "(garbage collector)") return "garbage collection";
  if (s === "(program)" || s === "(native)" || s === "(root)") return "V8 and native (program)";
  if (s.startsWith("node:")) return "Node (http, streams, timers)";
  if (s.startsWith("(")) return "native calls (socket writes, JSON, microtasks)";
  if (s.includes("[turbopack]")) return "Next (router, request/response)";
  if (s.includes("scripts/serve.mjs")) return "our wrapper server (serve.mjs)";
  if (/node_modules\/(next|@next)\//.test(s) || s.includes("[next]") || s.includes("/next/dist/"))
    return "Next (router, request/response)";
  if (/node_modules\/(react|react-dom|scheduler)\//.test(s)) return "React";
  if (/node_modules\/zod\//.test(s)) return "zod";
  if (/node_modules\/(kysely|better-sqlite3|pg|pg-[a-z]+|postgres-[a-z]+)\//.test(s))
    return "database driver (kysely, sqlite/pg)";
  if (/node_modules\/(@aws-sdk|@smithy)\//.test(s)) return "AWS SDK";
  if (/lib\/server\/auth\/session|lib\/server\/db\//.test(s)) return "our session lookup and queries";
  if (/lib\/server\/log/.test(s)) return "our logging";
  if (/lib\/server\/http\/route|lib\/access\/|lib\/server\/access\//.test(s))
    return "our route wrapper and access rules";
  if (/(^|\/)(lib|app)\//.test(s)) return "our other code";
  if (s.includes("node_modules/")) return "other packages";
  return "other";
}

/**
 * CPU time (ms) per part, per source file and per source line (file:line) of one profile; only samples inside `window` (µs on the
 * monotonic clock, the one process.hrtime reads and V8 stamps samples with), so start-up and warm-up are out.
 */
export function summarizeProfile(file, window = { from: 0, to: Infinity }) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parts = new Map();
  const sources = new Map();
  const lines = new Map();
  let t = profile.startTime;
  let previous = t;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const ms = (t - previous) / 1000;
    previous = t;
    if (t < window.from || t > window.to) continue;
    const frame = byId.get(profile.samples[i]).callFrame;
    const src = origin(frame);
    const part = partOf(src);
    parts.set(part, (parts.get(part) ?? 0) + ms);
    sources.set(src, (sources.get(src) ?? 0) + ms);
    const at = origin(frame, true);
    lines.set(at, (lines.get(at) ?? 0) + ms);
  }
  return { parts, sources, lines };
}
