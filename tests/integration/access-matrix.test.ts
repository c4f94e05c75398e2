import { CreateMultipartUploadCommand, PutBucketCorsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { operations, type Operation, type OperationName } from "@/lib/access/operations";
import { ROLES, roleAtLeast, type Role } from "@/lib/access/roles";
import { addRgwConnection, adminClient, APP_ORIGIN, type TestClient } from "../helpers/api-client";
import { findApiRoutes, loadHandlers, METHODS } from "../helpers/api-routes";
import {
  createTestBucket,
  directClient,
  listKeys,
  removeTestBucket,
  testS3,
  uniqueBucketName,
} from "../helpers/s3";
import { member, share } from "../helpers/sharing";

// One table (lib/access/operations.ts) says who may call each route and what it touches; this test calls
// every connection-scoped route as every role, inside and outside the shared scope, against the real store,
// and expects exactly "allowed" or 403. A route whose operation is missing from the table, or that has no
// request below, fails here.
//
// The shared scope of every grantee: bucket B narrowed to team-a/, and bucket W whole. Outside it: B's
// team-b/ (and team-a-old/), bucket X, and B as a whole (bucket settings need the whole bucket).

type Who = Role | "owner";
interface Ctx {
  who: Who;
  inScope: boolean;
  client: TestClient;
  n: number;
}
type Build = (c: Ctx) => Promise<{ path: string; body?: unknown }>;

let admin: TestClient;
let conn: string;
let B: string;
let W: string;
let X: string;
const newBucket = (who: Who) => `${B}-n${ROLES.indexOf(who as Role) + 1}`;
const clients = new Map<Who, TestClient>();
let viewerGrant: string;
const seededOutside: string[] = [];
const s3 = () => directClient();

async function put(bucket: string, key: string, body = "x") {
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}
async function multipart(key: string): Promise<string> {
  const out = await s3().send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
  return out.UploadId!;
}
const dir = (c: Ctx) => (c.inScope ? "team-a/" : "team-b/");
const q = () => `connection=${conn}`;

/** A connection of the owner's that may be changed or deleted (the owner's own case of owner-only routes). */
async function throwaway(c: Ctx): Promise<string> {
  return c.who === "owner" ? addRgwConnection(admin, { name: `throwaway-${c.n}` }) : conn;
}

async function linkOf(c: Ctx): Promise<string> {
  if (c.inScope) {
    const r = await c.client.post<{ link: { id: string } }>(`/api/buckets/${B}/presign?${q()}`, {
      key: "team-a/file.txt",
      method: "GET",
      expiresIn: 600,
    });
    if (r.status !== 201) throw new Error(`link: ${JSON.stringify(r.body)}`);
    return r.body.link.id;
  }
  // A link made while the scope still covered it (as if the share had been narrowed since).
  const { insertLink } = await import("@/lib/server/db/links");
  const { findSessionByTokenHash } = await import("@/lib/server/db/sessions");
  const { hashToken } = await import("@/lib/server/auth/tokens");
  const token = (c.client.cookie ?? "").split("=")[1] ?? "";
  const session = await findSessionByTokenHash(hashToken(token));
  const id = `link-${c.n}-${Math.random().toString(36).slice(2)}`;
  const now = Date.now();
  await insertLink({
    id,
    user_id: session!.user_id,
    connection_id: conn,
    bucket: B,
    object_key: "team-b/secret.txt",
    prefix: null,
    method: "GET",
    disposition: "attachment",
    content_type: null,
    max_size_bytes: null,
    signed_at: now,
    expires_in: 600,
    expires_at: now + 600_000,
    capped_by_token: 0,
    created_at: now,
  });
  return id;
}

const bucketWhole =
  (sub: string, body?: unknown): Build =>
  async (c) => ({
    path: `/api/buckets/${c.inScope ? W : B}${sub}?${q()}`,
    ...(body !== undefined ? { body } : {}),
  });

const CASES: Record<string, Build> = {
  "GET /api/buckets": async () => ({ path: `/api/buckets?${q()}` }),
  "POST /api/buckets": async (c) => ({
    path: `/api/buckets?${q()}`,
    body: { name: c.inScope ? newBucket(c.who) : uniqueBucketName("z"), abortIncompleteAfterDays: null },
  }),
  "GET /api/buckets/[bucket]": async (c) => ({ path: `/api/buckets/${c.inScope ? B : X}?${q()}` }),
  "DELETE /api/buckets/[bucket]": bucketWhole(""),
  "GET /api/buckets/[bucket]/acl": bucketWhole("/acl"),
  "PUT /api/buckets/[bucket]/acl": bucketWhole("/acl", { acl: "private" }),
  "GET /api/buckets/[bucket]/cors": bucketWhole("/cors"),
  "PUT /api/buckets/[bucket]/cors": bucketWhole("/cors", {
    rules: [
      {
        allowedOrigins: [APP_ORIGIN],
        allowedMethods: ["PUT"],
        allowedHeaders: ["*"],
        exposeHeaders: ["ETag"],
      },
    ],
  }),
  "GET /api/buckets/[bucket]/lifecycle": bucketWhole("/lifecycle"),
  "PUT /api/buckets/[bucket]/lifecycle": bucketWhole("/lifecycle", {
    rules: [{ id: "r", enabled: true, abortIncompleteAfterDays: 7 }],
  }),
  "GET /api/buckets/[bucket]/versioning": bucketWhole("/versioning"),
  "PUT /api/buckets/[bucket]/versioning": bucketWhole("/versioning", { enabled: false }),
  "GET /api/buckets/[bucket]/policy": bucketWhole("/policy"),
  "POST /api/buckets/[bucket]/empty": bucketWhole("/empty", {}),
  "POST /api/buckets/[bucket]/folders": async (c) => ({
    path: `/api/buckets/${B}/folders?${q()}`,
    body: { prefix: dir(c), name: `f${c.n}` },
  }),
  "GET /api/buckets/[bucket]/objects": async (c) => ({
    path: `/api/buckets/${B}/objects?${q()}&prefix=${dir(c)}`,
  }),
  "GET /api/buckets/[bucket]/objects/head": async (c) => ({
    path: `/api/buckets/${B}/objects/head?${q()}&key=${c.inScope ? "team-a/file.txt" : "team-b/secret.txt"}`,
  }),
  "GET /api/buckets/[bucket]/objects/url": async (c) => ({
    path: `/api/buckets/${B}/objects/url?${q()}&key=${c.inScope ? "team-a/file.txt" : "team-b/secret.txt"}`,
  }),
  "POST /api/buckets/[bucket]/objects/summary": async (c) => ({
    path: `/api/buckets/${B}/objects/summary?${q()}`,
    body: { prefix: dir(c) },
  }),
  "POST /api/buckets/[bucket]/objects/download": async (c) => ({
    path: `/api/buckets/${B}/objects/download?${q()}`,
    body: { prefix: dir(c) },
  }),
  "POST /api/buckets/[bucket]/objects/delete": async (c) => {
    const key = `${dir(c)}del-${c.n}.txt`;
    await put(B, key);
    if (!c.inScope) seededOutside.push(key);
    return { path: `/api/buckets/${B}/objects/delete?${q()}`, body: { keys: [key] } };
  },
  "POST /api/buckets/[bucket]/objects/copy": async (c) => ({
    path: `/api/buckets/${B}/objects/copy?${q()}`,
    body: { from: "team-a/", to: c.inScope ? "team-a/copies/" : "team-b/", keys: ["team-a/file.txt"] },
  }),
  "POST /api/buckets/[bucket]/objects/storage-class": async (c) => ({
    path: `/api/buckets/${B}/objects/storage-class?${q()}`,
    body: { key: c.inScope ? "team-a/file.txt" : "team-b/secret.txt", storageClass: "STANDARD_IA" },
  }),
  "POST /api/buckets/[bucket]/presign": async (c) => ({
    path: `/api/buckets/${B}/presign?${q()}`,
    body: { key: c.inScope ? "team-a/file.txt" : "team-b/secret.txt", method: "GET", expiresIn: 60 },
  }),
  "POST /api/buckets/[bucket]/uploads": async (c) => ({
    path: `/api/buckets/${B}/uploads?${q()}`,
    body: { files: [{ key: `${dir(c)}up-${c.n}.bin`, size: 10 }] },
  }),
  "GET /api/buckets/[bucket]/uploads": async (c) => ({
    path: `/api/buckets/${B}/uploads?${q()}&prefix=${dir(c)}`,
  }),
  "POST /api/buckets/[bucket]/uploads/conflicts": async (c) => ({
    path: `/api/buckets/${B}/uploads/conflicts?${q()}`,
    body: { keys: [`${dir(c)}file.txt`] },
  }),
  "POST /api/buckets/[bucket]/uploads/abort-stale": async (c) => ({
    path: `/api/buckets/${B}/uploads/abort-stale?${q()}`,
    body: { olderThanDays: 3650, prefix: dir(c) },
  }),
  "POST /api/buckets/[bucket]/uploads/report": async (c) => ({
    path: `/api/buckets/${B}/uploads/report?${q()}`,
    body: { prefix: dir(c), uploaded: 1, bytes: 10 },
  }),
  "GET /api/buckets/[bucket]/uploads/[uploadId]": async (c) => {
    const key = `${dir(c)}mp-${c.n}.bin`;
    return { path: `/api/buckets/${B}/uploads/${await multipart(key)}?${q()}&key=${key}` };
  },
  "POST /api/buckets/[bucket]/uploads/[uploadId]/parts": async (c) => {
    const key = `${dir(c)}mp-${c.n}.bin`;
    return {
      path: `/api/buckets/${B}/uploads/${await multipart(key)}/parts?${q()}`,
      body: { key, partNumbers: [1] },
    };
  },
  "POST /api/buckets/[bucket]/uploads/[uploadId]/complete": async (c) => {
    const key = `${dir(c)}mp-${c.n}.bin`;
    return {
      path: `/api/buckets/${B}/uploads/${await multipart(key)}/complete?${q()}`,
      body: { key, parts: [{ partNumber: 1, etag: '"0"' }] },
    };
  },
  "POST /api/buckets/[bucket]/uploads/[uploadId]/abort": async (c) => {
    const key = `${dir(c)}mp-${c.n}.bin`;
    return { path: `/api/buckets/${B}/uploads/${await multipart(key)}/abort?${q()}`, body: { key } };
  },
  "POST /api/buckets/[bucket]/objects/metadata": async (c) => ({
    path: `/api/buckets/${B}/objects/metadata?${q()}`,
    body: { key: c.inScope ? "team-a/file.txt" : "team-b/secret.txt", contentType: "text/plain" },
  }),
  "POST /api/buckets/[bucket]/objects/restore": async (c) => ({
    path: `/api/buckets/${B}/objects/restore?${q()}`,
    body: { keys: [`${dir(c)}file.txt`], days: 1, tier: "Standard" },
  }),
  "GET /api/buckets/[bucket]/versions": async (c) => ({
    path: `/api/buckets/${B}/versions?${q()}&prefix=${dir(c)}`,
  }),
  "POST /api/buckets/[bucket]/versions/restore": async (c) => ({
    path: `/api/buckets/${B}/versions/restore?${q()}`,
    body: { key: c.inScope ? "team-a/file.txt" : "team-b/secret.txt", versionId: "null" },
  }),
  "POST /api/buckets/[bucket]/versions/delete": async (c) => ({
    path: `/api/buckets/${B}/versions/delete?${q()}`,
    body: { key: `${dir(c)}never-${c.n}.txt`, versionId: "null" },
  }),
  "POST /api/buckets/[bucket]/versions/undelete": async (c) => ({
    path: `/api/buckets/${B}/versions/undelete?${q()}`,
    body: { keys: [`${dir(c)}file.txt`] },
  }),
  "POST /api/buckets/[bucket]/shares": async (c) => ({
    path: `/api/buckets/${B}/shares?${q()}`,
    body:
      c.who === "viewer" || c.n % 2 === 0
        ? { kind: "download", prefix: dir(c), expiresIn: 3600 }
        : { kind: "upload", prefix: dir(c), expiresIn: 3600 },
  }),
  "GET /api/links/[id]": async (c) => ({ path: `/api/links/${await linkOf(c)}` }),
  "GET /api/links/[id]/export": async (c) => ({ path: `/api/links/${await linkOf(c)}/export?format=csv` }),
  "GET /api/connections/[id]": async () => ({ path: `/api/connections/${conn}` }),
  "PATCH /api/connections/[id]": async (c) => ({
    path: `/api/connections/${await throwaway(c)}`,
    body: { name: `renamed-${c.n}` },
  }),
  "DELETE /api/connections/[id]": async (c) => ({ path: `/api/connections/${await throwaway(c)}` }),
  "POST /api/connections/[id]/test": async (c) => ({
    path: `/api/connections/${await throwaway(c)}/test`,
    body: {},
  }),
  "GET /api/connections/[id]/grants": async () => ({ path: `/api/connections/${conn}/grants` }),
  "POST /api/connections/[id]/grants": async (c) => {
    const id = await throwaway(c);
    const other = await member(admin, `grantee${c.n}x${Date.now()}`);
    return {
      path: `/api/connections/${id}/grants`,
      body: { grantee: { type: "user", id: other.id }, role: "viewer", scope: "all" },
    };
  },
  "PATCH /api/connections/[id]/grants/[grantId]": async (c) => ({
    path: `/api/connections/${conn}/grants/${viewerGrant}`,
    body: { role: c.who === "owner" ? "viewer" : "manager" },
  }),
  "DELETE /api/connections/[id]/grants/[grantId]": async (c) => {
    if (c.who !== "owner") return { path: `/api/connections/${conn}/grants/${viewerGrant}` };
    const id = await throwaway(c);
    const other = await member(admin, `revokee${c.n}x${Date.now()}`);
    const grant = await share(admin, id, { type: "user", id: other.id }, "viewer", "all");
    return { path: `/api/connections/${id}/grants/${grant}` };
  },
};

const routes = findApiRoutes().flatMap((r) =>
  METHODS.filter((m) => loadHandlers(r)[m]).map((m) => {
    const handler = loadHandlers(r)[m] as unknown as { operation?: OperationName };
    return { key: `${m} ${r.path}`, method: m, operation: handler.operation };
  }),
);
// Share pages (connection "share") have no caller to check: they act as the share's creator, whose role and
// scope are checked on every call; shares.test.ts covers a share that outlives its creator's access.
const isConnectionScoped = (op: Operation) =>
  op.who !== "public" && op.who !== "signed-in" && op.who !== "admin" && op.connection !== "share";

describe("the operation table covers every route", () => {
  it("names an operation of the table for every route", () => {
    for (const r of routes) {
      expect({ route: r.key, known: r.operation !== undefined && r.operation in operations }).toEqual({
        route: r.key,
        known: true,
      });
    }
  });

  it("has a request in this test for every connection-scoped route", () => {
    const scoped = routes.filter((r) => r.operation && isConnectionScoped(operations[r.operation]));
    expect(scoped.length).toBeGreaterThan(30);
    for (const r of scoped)
      expect({ route: r.key, covered: r.key in CASES }).toEqual({ route: r.key, covered: true });
  });
});

describe("every connection-scoped route, for every role, inside and outside the scope (Ceph RGW)", () => {
  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    B = await createTestBucket();
    W = await createTestBucket();
    X = await createTestBucket();
    await s3().send(
      new PutBucketCorsCommand({
        Bucket: B,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [APP_ORIGIN],
              AllowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
              AllowedHeaders: ["*"],
              ExposeHeaders: ["ETag"],
            },
          ],
        },
      }),
    );
    for (const k of ["team-a/file.txt", "team-a/sub/x.txt", "team-b/secret.txt", "team-a-old/y.txt"])
      await put(B, k);
    await put(W, "w.txt");
    await put(X, "x.txt");
    clients.set("owner", admin);
    for (const role of ROLES) {
      const m = await member(admin, `${role}-${Date.now()}`);
      clients.set(role, m.client);
      const grant = await share(admin, conn, { type: "user", id: m.id }, role, [
        { bucket: B, prefix: "team-a/" },
        { bucket: W, prefix: "" },
        { bucket: newBucket(role), prefix: "" },
      ]);
      if (role === "viewer") viewerGrant = grant;
    }
  });

  afterAll(async () => {
    for (const b of [B, W, X, ...whos.map((r) => newBucket(r))])
      await removeTestBucket(b).catch(() => undefined);
  });

  const whos: Who[] = [...ROLES, "owner"];
  const cases = routes
    .filter((r) => r.operation && isConnectionScoped(operations[r.operation]))
    .flatMap((r) =>
      whos.flatMap((who) =>
        [true, false].map((inScope) => ({
          ...r,
          who,
          inScope,
          name: `${r.key} as ${who}, ${inScope ? "inside" : "outside"}`,
        })),
      ),
    )
    // The owner is not limited by scope: "outside" is the same call for them.
    .filter((c) => c.who !== "owner" || c.inScope);

  let n = 0;
  it.each(cases)("$name", async ({ key, method, operation, who, inScope }) => {
    const op = operations[operation!] as Operation;
    const client = clients.get(who)!;
    n += 1;
    if (method !== "GET") await put(W, "w.txt"); // a bucket emptied by an earlier case is not empty again
    const { path, body } = await CASES[key]!({ who, inScope, client, n });
    const res = await client.request(
      method,
      path,
      method === "GET" || method === "DELETE" ? undefined : (body ?? {}),
    );
    const scoped = op.targets !== undefined;
    const allowed =
      who === "owner" ||
      (op.who !== "owner" && roleAtLeast(who as Role, op.who as Role) && (inScope || !scoped));
    const outcome = {
      status: res.status,
      code: (res.body as { error?: { code?: string } } | null)?.error?.code,
    };
    if (allowed) {
      expect({ key, who, inScope, refused: res.status === 403 || res.status === 401, outcome }).toMatchObject(
        {
          refused: false,
        },
      );
    } else {
      expect({ key, who, inScope, outcome }).toMatchObject({ outcome: { status: 403, code: "forbidden" } });
    }
  });

  it("left everything outside the scope untouched", async () => {
    expect((await listKeys(B, "team-b/")).sort()).toEqual(["team-b/secret.txt", ...seededOutside].sort());
    expect(await listKeys(B, "team-a-old/")).toEqual(["team-a-old/y.txt"]);
    expect(await listKeys(X)).toEqual(["x.txt"]);
  });
});

describe("a user the key is not shared with", () => {
  it("gets 404 on every connection-scoped route, as if the key did not exist", async () => {
    const stranger = await member(admin, `stranger-${Date.now()}`);
    const paths = [
      `/api/connections/${conn}`,
      `/api/buckets?${q()}`,
      `/api/buckets/${B}/objects?${q()}&prefix=team-a/`,
      `/api/buckets/${B}/objects/head?${q()}&key=team-a/file.txt`,
    ];
    for (const p of paths) expect((await stranger.client.get(p)).status).toBe(404);
    expect(
      (
        await stranger.client.post(`/api/buckets/${B}/presign?${q()}`, {
          key: "team-a/file.txt",
          method: "GET",
          expiresIn: 60,
        })
      ).status,
    ).toBe(404);
    expect(testS3().secretAccessKey).not.toBe("");
  });
});
