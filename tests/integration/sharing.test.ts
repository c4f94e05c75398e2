import { PutObjectCommand } from "@aws-sdk/client-s3";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { createTestBucket, directClient, listKeys, removeTestBucket, testS3 } from "../helpers/s3";
import { member, share } from "../helpers/sharing";

// Sharing one access key with people and teams, against Ceph RGW: what a grantee sees, path tricks,
// revoking and narrowing on the very next request, teams, and the secret never reaching a grantee.

let admin: TestClient;
let conn: string;
let bucket: string;
let other: string;
const q = () => `connection=${conn}`;
const put = (key: string, body = "x") =>
  directClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

type Listing = { folders: { prefix: string }[]; objects: { key: string }[] };
type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin, { name: "lab key" });
  bucket = await createTestBucket();
  other = await createTestBucket();
  for (const k of [
    "team-a/a1.txt",
    "team-a/sub/a2.txt",
    "team-a-old/old.txt",
    "team-b/b1.txt",
    "root.txt",
    "team-a/../team-b/literal.txt",
  ]) {
    await put(k);
  }
});

afterAll(async () => {
  await removeTestBucket(bucket).catch(() => undefined);
  await removeTestBucket(other).catch(() => undefined);
});

describe("a grantee scoped to team-a/", () => {
  let alice: TestClient;
  let aliceId: string;
  let grant: string;

  beforeAll(async () => {
    const m = await member(admin, "alice");
    alice = m.client;
    aliceId = m.id;
    grant = await share(admin, conn, { type: "user", id: aliceId }, "editor", [
      { bucket, prefix: "team-a/" },
    ]);
  });

  it("sees the key as shared, with its role and scope, and never its secret", async () => {
    const list = await alice.get<{ connections: Record<string, unknown>[] }>("/api/connections");
    expect(list.status).toBe(200);
    const c = list.body.connections.find((x) => x.id === conn)!;
    expect(c).toMatchObject({
      name: "lab key",
      owner: { username: "admin" },
      access: { relation: "grantee", grants: [{ role: "editor", scope: [{ bucket, prefix: "team-a/" }] }] },
      lastTest: null,
      isDefault: false,
    });
    const one = await alice.get(`/api/connections/${conn}`);
    expect(one.status).toBe(200);
    const secret = testS3().secretAccessKey;
    for (const line of alice.transcript) expect(line).not.toContain(secret);
  });

  it("lists only the shared bucket, and its root shows only the way to team-a/", async () => {
    const buckets = await alice.get<{ buckets: { name: string }[] }>(`/api/buckets?${q()}`);
    expect(buckets.body.buckets.map((b) => b.name)).toEqual([bucket]);
    const root = await alice.get<Listing>(`/api/buckets/${bucket}/objects?${q()}&prefix=`);
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ folders: [{ prefix: "team-a/" }], objects: [], nextCursor: null });
    const inside = await alice.get<Listing>(`/api/buckets/${bucket}/objects?${q()}&prefix=team-a/`);
    expect(inside.body.objects.map((o) => o.key)).toEqual(["team-a/a1.txt"]);
    expect(inside.body.folders.map((f) => f.prefix).sort()).toEqual(["team-a/../", "team-a/sub/"]);
  });

  it.each([
    ["list a sibling folder", "GET", "objects?prefix=team-a-old/"],
    ["list another team", "GET", "objects?prefix=team-b/"],
    ["list through ..", "GET", "objects?prefix=team-a/../team-b/"],
    ["list through an encoded ..", "GET", "objects?prefix=team-a/%252e%252e/team-b/"],
    ["filter through ..", "GET", "objects?prefix=team-a/&filter=../team-b/"],
    ["read a sibling's file", "GET", "objects/head?key=team-a-old/old.txt"],
    ["read through ..", "GET", "objects/head?key=team-a/../team-b/b1.txt"],
    ["read a key named like the folder", "GET", "objects/head?key=team-a"],
    ["read a fullwidth look-alike", "GET", `objects/head?key=${encodeURIComponent("ｔｅａｍ-a/a1.txt")}`],
    [
      "read through a two-dot leader",
      "GET",
      `objects/head?key=${encodeURIComponent("team-a/\u2025/team-b/b1.txt")}`,
    ],
    [
      "read through a backslash",
      "GET",
      `objects/head?key=${encodeURIComponent("team-a\\..\\team-b\\b1.txt")}`,
    ],
    ["download another team's file", "GET", "objects/url?key=team-b/b1.txt"],
  ])("refuses to %s", async (_name, _method, rest) => {
    const [path, query] = rest.split("?");
    const r = await alice.get<ErrorBody>(`/api/buckets/${bucket}/${path}?${q()}&${query}`);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: "forbidden", details: { reason: "scope" } });
    expect(r.body.error.message).toContain("team-a/");
  });

  it.each([
    ["upload beside the folder", "uploads", { files: [{ key: "team-a-old/x.bin", size: 1 }] }],
    ["upload through ..", "uploads", { files: [{ key: "team-a/../team-b/x.bin", size: 1 }] }],
    [
      "upload one good and one bad key",
      "uploads",
      {
        files: [
          { key: "team-a/ok.bin", size: 1 },
          { key: "root.bin", size: 1 },
        ],
      },
    ],
    ["delete a sibling folder", "objects/delete", { prefixes: ["team-a-old/"] }],
    ["delete another team's key", "objects/delete", { keys: ["team-b/b1.txt"] }],
    ["copy out of the folder", "objects/copy", { from: "team-a/", to: "team-b/", keys: ["team-a/a1.txt"] }],
    [
      "copy into the folder from outside",
      "objects/copy",
      { from: "team-b/", to: "team-a/", keys: ["team-b/b1.txt"] },
    ],
    [
      "rename across with a trick",
      "objects/copy",
      { from: "team-a/", to: "team-a/", keys: ["team-a/a1.txt"], rename: "..%2f" },
    ],
    ["make a link to a folder above", "presign", { prefix: "", method: "GET", expiresIn: 60 }],
    ["summarise the bucket", "objects/summary", { prefix: "" }],
    ["create a folder beside", "folders", { prefix: "", name: "team-c" }],
  ])("refuses to %s, and changes nothing", async (_name, path, body) => {
    const before = (await listKeys(bucket)).sort();
    const r = await alice.post<ErrorBody>(`/api/buckets/${bucket}/${path}?${q()}`, body);
    expect([400, 403]).toContain(r.status);
    expect((await listKeys(bucket)).sort()).toEqual(before);
  });

  it("may change its own folder; a recursive delete stops at the folder's edge", async () => {
    await put("team-a/del/x1.txt");
    await put("team-a/del/x2.txt");
    const r = await alice.post<{ deleted: number; done: boolean }>(
      `/api/buckets/${bucket}/objects/delete?${q()}`,
      {
        prefixes: ["team-a/del/"],
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.deleted).toBe(2);
    expect(await listKeys(bucket, "team-a-old/")).toEqual(["team-a-old/old.txt"]);
    expect(await listKeys(bucket, "team-b/")).toEqual(["team-b/b1.txt"]);
  });

  it("a narrowed share takes effect on the very next request", async () => {
    expect((await alice.get(`/api/buckets/${bucket}/objects/head?${q()}&key=team-a/a1.txt`)).status).toBe(
      200,
    );
    const changed = await admin.patch(`/api/connections/${conn}/grants/${grant}`, {
      scope: [{ bucket, prefix: "team-a/sub/" }],
    });
    expect(changed.status).toBe(200);
    expect((await alice.get(`/api/buckets/${bucket}/objects/head?${q()}&key=team-a/a1.txt`)).status).toBe(
      403,
    );
    expect((await alice.get(`/api/buckets/${bucket}/objects/head?${q()}&key=team-a/sub/a2.txt`)).status).toBe(
      200,
    );
    const down = await admin.patch(`/api/connections/${conn}/grants/${grant}`, { role: "viewer" });
    expect(down.status).toBe(200);
    const del = await alice.post<ErrorBody>(`/api/buckets/${bucket}/objects/delete?${q()}`, {
      keys: ["team-a/sub/a2.txt"],
    });
    expect(del.status).toBe(403);
    expect(del.body.error.details).toMatchObject({ reason: "role", role: "viewer", needed: "editor" });
  });

  it("a link made inside the scope is not shown again once the share no longer covers it", async () => {
    const link = await alice.post<{ link: { id: string } }>(`/api/buckets/${bucket}/presign?${q()}`, {
      key: "team-a/sub/a2.txt",
      method: "GET",
      expiresIn: 600,
    });
    expect(link.status).toBe(201);
    expect((await alice.get(`/api/links/${link.body.link.id}`)).status).toBe(200);
    await admin.patch(`/api/connections/${conn}/grants/${grant}`, { scope: [{ bucket: other }] });
    expect((await alice.get(`/api/links/${link.body.link.id}`)).status).toBe(403);
    expect((await alice.get(`/api/links/${link.body.link.id}/export?format=csv`)).status).toBe(403);
  });

  it("cannot edit, test, delete or share the key", async () => {
    expect((await alice.patch(`/api/connections/${conn}`, { name: "mine" })).status).toBe(403);
    expect((await alice.post(`/api/connections/${conn}/test`, {})).status).toBe(403);
    expect((await alice.delete(`/api/connections/${conn}`)).status).toBe(403);
    expect((await alice.get(`/api/connections/${conn}/grants`)).status).toBe(403);
    const r = await alice.post<ErrorBody>(`/api/connections/${conn}/grants`, {
      grantee: { type: "user", id: aliceId },
      role: "manager",
      scope: "all",
    });
    expect(r.status).toBe(403);
    expect(r.body.error.details).toMatchObject({ reason: "owner" });
  });

  it("once revoked, the next request is refused with a message that says why", async () => {
    expect((await admin.delete(`/api/connections/${conn}/grants/${grant}`)).status).toBe(200);
    const r = await alice.get<ErrorBody>(`/api/buckets?${q()}`);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: "forbidden", details: { reason: "revoked", owner: "admin" } });
    expect(r.body.error.message).toContain("stopped sharing");
    const list = await alice.get<{ connections: { id: string }[] }>("/api/connections");
    expect(list.body.connections.map((c) => c.id)).not.toContain(conn);
  });
});

describe("a grantee who sees everything but may upload only into one folder", () => {
  it("finds that folder in the listing even before it exists", async () => {
    const hana = await member(admin, "hana");
    await share(admin, conn, { type: "user", id: hana.id }, "viewer", "all");
    const team = await admin.post<{ id: string }>("/api/teams", { name: "Uploaders", memberIds: [hana.id] });
    await share(admin, conn, { type: "team", id: team.body.id }, "uploader", [
      { bucket, prefix: "incoming/x/" },
    ]);
    const root = await hana.client.get<Listing>(`/api/buckets/${bucket}/objects?${q()}&prefix=`);
    expect(root.body.folders.map((f) => f.prefix)).toEqual(
      expect.arrayContaining(["team-a/", "team-b/", "incoming/"]),
    );
    expect(root.body.objects.map((o) => o.key)).toContain("root.txt");
    const incoming = await hana.client.get<Listing>(`/api/buckets/${bucket}/objects?${q()}&prefix=incoming/`);
    expect(incoming.body.folders).toEqual([{ prefix: "incoming/x/" }]);
  });
});

describe("teams", () => {
  it("reach their members, and stop at once when a member leaves or the team goes", async () => {
    const bob = await member(admin, "bob");
    const carol = await member(admin, "carol");
    const team = await admin.post<{ id: string }>("/api/teams", { name: "Vision", memberIds: [bob.id] });
    expect(team.status).toBe(201);
    await share(admin, conn, { type: "team", id: team.body.id }, "viewer", [{ bucket, prefix: "team-b/" }]);
    const path = `/api/buckets/${bucket}/objects?${q()}&prefix=team-b/`;
    expect((await bob.client.get(path)).status).toBe(200);
    expect((await carol.client.get(path)).status).toBe(404);
    expect((await admin.patch(`/api/teams/${team.body.id}`, { memberIds: [carol.id] })).status).toBe(200);
    expect((await bob.client.get(path)).status).toBe(404);
    expect((await carol.client.get(path)).status).toBe(200);
    expect((await admin.delete(`/api/teams/${team.body.id}`)).status).toBe(200);
    expect((await carol.client.get(path)).status).toBe(404);
  });

  it("are for administrators; names are unique and members real", async () => {
    const dave = await member(admin, "dave");
    expect((await dave.client.get("/api/teams")).status).toBe(403);
    expect((await dave.client.post("/api/teams", { name: "x" })).status).toBe(403);
    expect((await admin.post("/api/teams", { name: "Audio" })).status).toBe(201);
    const dup = await admin.post<ErrorBody>("/api/teams", { name: "audio" });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/^name: /);
    const ghost = await admin.post<ErrorBody>("/api/teams", { name: "Ghosts", memberIds: ["no-such-user"] });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.message).toMatch(/^memberIds: /);
    const dir = await dave.client.get<{ users: { username: string }[]; teams: { name: string }[] }>(
      "/api/directory",
    );
    expect(dir.status).toBe(200);
    expect(dir.body.teams.map((t) => t.name)).toContain("Audio");
    expect(dir.body.users.map((u) => u.username)).toContain("dave");
  });
});

describe("sharing input", () => {
  it("names the field and the rule, and changes nothing", async () => {
    const erin = await member(admin, "erin");
    const bad = [
      [{ grantee: { type: "user", id: erin.id }, role: "owner", scope: "all" }, /^role: /],
      [
        { grantee: { type: "user", id: erin.id }, role: "viewer", scope: [{ bucket, prefix: "team-a" }] },
        /^scope/,
      ],
      [{ grantee: { type: "user", id: erin.id }, role: "viewer", scope: [] }, /^scope/],
      [{ grantee: { type: "robot", id: erin.id }, role: "viewer", scope: "all" }, /^grantee.type: /],
      [
        { grantee: { type: "user", id: "nobody" }, role: "viewer", scope: "all" },
        /^grantee.id: no such user/,
      ],
    ] as const;
    for (const [body, message] of bad) {
      const r = await admin.post<ErrorBody>(`/api/connections/${conn}/grants`, body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
    const grants = await admin.get<{ grants: { grantee: { id: string } }[] }>(
      `/api/connections/${conn}/grants`,
    );
    expect(grants.body.grants.filter((g) => g.grantee.id === erin.id)).toEqual([]);
    const adminId = (await admin.get<{ user: { id: string } }>("/api/auth/session")).body.user.id;
    const self = await admin.post<ErrorBody>(`/api/connections/${conn}/grants`, {
      grantee: { type: "user", id: adminId },
      role: "viewer",
      scope: "all",
    });
    expect(self.status).toBe(400);
    await share(admin, conn, { type: "user", id: erin.id }, "viewer", "all");
    const twice = await admin.post<ErrorBody>(`/api/connections/${conn}/grants`, {
      grantee: { type: "user", id: erin.id },
      role: "editor",
      scope: "all",
    });
    expect(twice.status).toBe(409);
  });

  it("an administrator who does not own a key may manage and share it", async () => {
    const owner = await member(admin, "frank");
    const franks = await addRgwConnection(owner.client, { name: "frank's key" });
    const list = await admin.get<{ connections: { id: string; access: { relation: string } }[] }>(
      "/api/connections",
    );
    expect(list.body.connections.find((c) => c.id === franks)?.access.relation).toBe("admin");
    const grace = await member(admin, "grace");
    await share(admin, franks, { type: "user", id: grace.id }, "viewer", "all");
    expect((await grace.client.get(`/api/buckets?connection=${franks}`)).status).toBe(200);
    expect(
      (await owner.client.get<{ grants: unknown[] }>(`/api/connections/${franks}/grants`)).body.grants,
    ).toHaveLength(1);
  });
});
