import { z } from "zod";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { findApiRoutes, loadHandlers, METHODS, type Method } from "../helpers/api-routes";
import { createTestBucket, removeTestBucket, seedObjects } from "../helpers/s3";

// Random and malformed requests to every API route, generated from the route's own zod schemas (through
// their JSON Schema): wrong types, values past every limit, missing fields, broken JSON, wrong content types,
// odd path segments, prototype-pollution shapes. Every answer must be a 4xx (or a harmless 200 for a read),
// never a 5xx, and no row of the database may change.

jest.setTimeout(180_000);

// A seeded generator: a failure names the seed and can be run again exactly.
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  maxLength?: number;
  maxItems?: number;
  maximum?: number;
}

const JUNK_STRINGS = [
  "",
  " ",
  "%",
  "%E0%A4%A",
  "..",
  "../../etc/passwd",
  "\u0000",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "'; drop table users; --",
  "ｔｅａｍ",
  "\ud800",
  "x".repeat(5000),
];
const JUNK_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -9007199254740993,
  [],
  [null],
  {},
  { __proto__: { polluted: true } },
  ...JUNK_STRINGS,
];

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** A value that the schema refuses: of another type, or past its limits. */
function wrong(js: JsonSchema): unknown {
  const types = js.anyOf
    ? js.anyOf.flatMap((s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []))
    : Array.isArray(js.type)
      ? js.type
      : js.type
        ? [js.type]
        : [];
  const accepts = (v: unknown) => {
    const t = typeOf(v);
    if (js.anyOf && js.anyOf.some((s) => s.enum?.includes(v))) return true;
    return types.includes(t) || (t === "integer" && types.includes("number"));
  };
  const candidates: unknown[] = JUNK_VALUES.filter((v) => !accepts(v));
  if (types.includes("string") && js.maxLength !== undefined) candidates.push("y".repeat(js.maxLength + 1));
  if (types.includes("string") && js.enum) candidates.push("not-one-of-them");
  if (types.includes("array") && js.maxItems !== undefined) {
    candidates.push(Array.from({ length: js.maxItems + 1 }, () => ({})));
  }
  return pick(candidates.length > 0 ? candidates : [Symbol.for("unserialisable")]);
}

function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
  } catch {
    return null;
  }
}

interface Attempt {
  method: Method;
  path: string;
  body?: string;
  contentType?: string;
  what: string;
}

let admin: TestClient;
let conn: string;
let bucket: string;

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin);
  bucket = await createTestBucket();
  await seedObjects(bucket, [["a/b.txt", "x"]]);
});
afterAll(() => removeTestBucket(bucket).catch(() => undefined));

/** The rows of every table, without the columns that move on their own (a session's last use). */
async function snapshot(): Promise<string> {
  const { db } = await import("@/lib/server/db");
  const kysely = await db();
  const tables = [
    "users",
    "connections",
    "links",
    "grants",
    "teams",
    "team_members",
    "audit_log",
    "login_throttle",
    "login_places",
    "sessions",
  ] as const;
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    let rows = (await kysely.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    // The audit log records failed attempts too (a store that said "no such bucket"): those changed nothing.
    if (t === "audit_log") rows = rows.filter((r) => r.result === "ok");
    out[t] = rows
      .map((r) => {
        const { last_seen_at: _seen, oidc_checked_at: _checked, ...rest } = r;
        return rest;
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return JSON.stringify(out);
}

function attemptsFor(
  path: string,
  method: Method,
  schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType },
) {
  const attempts: Attempt[] = [];
  const valid = {
    bucket,
    id: "00000000-0000-0000-0000-000000000000",
    uploadId: "u-1",
    grantId: "g-1",
  } as Record<string, string>;
  const fill = (p: string, junk?: string) =>
    p.replace(/\[\[?\.\.\.[^\]]+\]\]?|\[([^\]]+)\]/g, (_m, name: string | undefined) =>
      encodeURIComponent((junk ?? valid[name ?? ""] ?? "x").replace(/[\ud800-\udfff]/g, "?")),
    );
  const base = `${fill(path)}?connection=${conn}`;
  // Junk in every path segment (every method, a DELETE included: an invalid id never deletes anything).
  if (/\[/.test(path)) {
    for (let i = 0; i < 4; i++) {
      const junk = pick(JUNK_STRINGS);
      attempts.push({
        method,
        path: `${fill(path, junk)}?connection=${conn}`,
        what: `params ${JSON.stringify(junk.slice(0, 20))}`,
      });
    }
  }
  // Junk in every query field.
  const qs = jsonSchemaOf(schemas.query);
  for (const [name, js] of Object.entries(qs?.properties ?? {})) {
    const v = wrong(js);
    const text = typeof v === "string" ? v : (JSON.stringify(v) ?? "");
    attempts.push({
      method,
      path: `${fill(path)}?${new URLSearchParams({ connection: conn, [name]: text })}`,
      what: `query ${name}`,
    });
  }
  if (method === "GET" || method === "DELETE") return attempts;
  // Bodies that cannot be valid: broken JSON, other top-level types, the wrong content type, too big, and
  // each declared field of the wrong type or past its limits.
  attempts.push({ method, path: base, body: "{not json", what: "broken JSON" });
  for (const top of ["[]", '"text"', "42", "null"])
    attempts.push({ method, path: base, body: top, what: `body ${top}` });
  attempts.push({ method, path: base, body: "{}", contentType: "text/plain", what: "text/plain" });
  attempts.push({
    method,
    path: base,
    body: JSON.stringify({ x: "z".repeat(2 * 1024 * 1024) }),
    what: "2 MiB body",
  });
  const bs = jsonSchemaOf(schemas.body);
  const props = Object.entries(bs?.properties ?? {});
  if ((bs?.required ?? []).length > 0)
    attempts.push({ method, path: base, body: "{}", what: "missing fields" });
  for (const [name, js] of props) {
    for (let i = 0; i < 2; i++) {
      const body: Record<string, unknown> = {
        __proto__: { polluted: true },
        constructor: { prototype: { polluted: true } },
      };
      for (const [other, ojs] of props) if (other !== name && random() < 0.5) body[other] = wrong(ojs);
      body[name] = wrong(js);
      attempts.push({ method, path: base, body: JSON.stringify(body), what: `body ${name}` });
    }
  }
  return attempts;
}

describe("random and malformed requests to every route", () => {
  it(`never answer 5xx and never change a row (seed ${SEED})`, async () => {
    const before = await snapshot();
    const failures: string[] = [];
    let sent = 0;
    for (const route of findApiRoutes()) {
      const handlers = loadHandlers(route);
      for (const method of METHODS) {
        const handler = handlers[method] as
          | { operation: string; schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType } }
          | undefined;
        if (!handler) continue;
        // Signing out is a change by design, whatever the body says.
        if (handler.operation === "auth.logout") continue;
        for (const a of attemptsFor(route.path, method, handler.schemas)) {
          // A path that URL parsing resolves away (a ".." segment) reaches no route: the server's 404.
          const r = await admin
            .request(
              a.method,
              a.path,
              a.body,
              a.body !== undefined ? { "content-type": a.contentType ?? "application/json" } : {},
            )
            .catch((err: Error) => {
              if (/^no route for/.test(err.message)) return { status: 404, body: null };
              throw err;
            });
          sent++;
          if (r.status >= 500)
            failures.push(
              `${a.method} ${route.path} (${a.what}) → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
            );
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshot()).toBe(before);
  });
});
