import { GetObjectCommand, PutBucketCorsCommand } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { appCorsRule } from "@/lib/bucket-rules";
import { addRgwConnection, adminClient, APP_ORIGIN, TestClient } from "../helpers/api-client";
import { createTestBucket, directClient, removeTestBucket, seedObjects } from "../helpers/s3";
import { member, share as grant } from "../helpers/sharing";

jest.setTimeout(180_000);

// Share pages and upload requests through the API, against Ceph RGW, as an outsider without a session:
// codes and their throttle, revoking, expiry, single use, a share that dies with its creator's access,
// the limits of an upload request under parallel plans, names never overwritten, sizes held by signatures.

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };
type Created = { share: { id: string; status: string }; path: string };
type Listing = { prefix: string; folders: { prefix: string }[]; objects: { key: string; size: number }[] };
type Plan =
  | { kind: "single"; key: string; url: string; headers: Record<string, string> }
  | { kind: "multipart"; key: string; uploadId: string; partSize: number; partCount: number };

let admin: TestClient;
let conn: string;
let bucket: string;
const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");

/** Someone with the link and no account: no session, their own address, the cookies the share sets. */
class Visitor {
  cookies = new Map<string, string>();
  readonly client = new TestClient();
  constructor(address: string) {
    this.client.address = address;
  }
  async call<T>(method: "GET" | "POST", path: string, body?: unknown) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const r = await this.client.request<T>(method, path, body, cookie ? { cookie } : {});
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      if (k?.startsWith("obm_share_")) this.cookies.set(k, v ?? "");
    }
    return r;
  }
}

const api = (path: string) => `/api/buckets/${bucket}/shares?connection=${conn}`.replace("shares", path);
const tokenOf = (path: string) => path.split("/").pop()!;

async function createShare(owner: TestClient, body: Record<string, unknown>) {
  const r = await owner.post<Created>(api("shares"), { expiresIn: 3600, ...body });
  if (r.status !== 201) throw new Error(`share failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin, { name: "lab key" });
  bucket = await createTestBucket();
  await seedObjects(bucket, [
    ["datasets/cats/a.jpg", "jpeg bytes"],
    ["datasets/cats/b.txt", "hello"],
    ["datasets/cats/sub/c.txt", "deeper"],
    ["datasets/dogs/secret.txt", "not shared"],
  ]);
});

afterAll(async () => {
  await removeTestBucket(bucket).catch(() => undefined);
});

describe("a folder shared with an access code", () => {
  let created: Created;
  const base = () => `/api/public/shares/${tokenOf(created.path)}`;

  beforeAll(async () => {
    created = await createShare(admin, { kind: "download", prefix: "datasets/cats/", code: "Secret42" });
  });

  it("hands out the address once, and keeps only a hash of its token", async () => {
    expect(created.path).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);
    const { db } = await import("@/lib/server/db");
    const rows = await (await db()).selectFrom("shares").select(["token_hash"]).execute();
    expect(JSON.stringify(rows)).not.toContain(tokenOf(created.path));
    const listed = await admin.get<{ shares: { id: string; hasCode: boolean }[] }>("/api/shares");
    expect(JSON.stringify(listed.body)).not.toContain(tokenOf(created.path));
    expect(listed.body.shares.find((s) => s.id === created.share.id)?.hasCode).toBe(true);
  });

  it("says what it is, and nothing more, until the code is given", async () => {
    const v = new Visitor("203.0.113.10");
    const info = await v.call<{ name: string; needsCode: boolean; unlocked: boolean }>("GET", base());
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ name: "cats", needsCode: true, unlocked: false, isFolder: true });
    expect(JSON.stringify(info.body)).not.toContain(bucket);
    const listed = await v.call<Err>("GET", `${base()}/objects`);
    expect(listed.status).toBe(403);
    expect(listed.body.error.message).toMatch(/access code/);
    const download = await v.call<Err>("POST", `${base()}/download`, { key: "a.jpg" });
    expect(download.status).toBe(403);
  });

  it("refuses wrong codes and then throttles that place, while the right code works elsewhere", async () => {
    const guesser = new Visitor("203.0.113.66");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await guesser.call("POST", `${base()}/unlock`, { code: `wrong${i}` })).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    const locked = await guesser.call<Err>("POST", `${base()}/unlock`, { code: "Secret42" });
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/Too many wrong access codes/);

    const recipient = new Visitor("198.51.100.20");
    const ok = await recipient.call("POST", `${base()}/unlock`, { code: "Secret42" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await recipient.call<Listing>("GET", `${base()}/objects`);
    expect(page.status).toBe(200);
    expect(page.body.folders).toEqual([{ prefix: "sub/" }]);
    expect(page.body.objects.map((o) => o.key)).toEqual(["a.jpg", "b.txt"]);
    const sub = await recipient.call<Listing>("GET", `${base()}/objects?prefix=sub%2F`);
    expect(sub.body.objects.map((o) => o.key)).toEqual(["sub/c.txt"]);

    const link = await recipient.call<{ url: string }>("POST", `${base()}/download`, { key: "sub/c.txt" });
    expect(link.status).toBe(200);
    const res = await fetch(link.body.url);
    expect(await res.text()).toBe("deeper");
  });

  it("never reaches outside the shared folder", async () => {
    const v = new Visitor("198.51.100.21");
    await v.call("POST", `${base()}/unlock`, { code: "Secret42" });
    for (const key of [
      "../dogs/secret.txt",
      "sub/../../dogs/secret.txt",
      "./b.txt",
      "/b.txt",
      "sub//c.txt",
      "a\\b",
    ]) {
      const r = await v.call<Err>("POST", `${base()}/download`, { key });
      expect({ key, status: r.status }).toEqual({ key, status: 400 });
    }
    const up = await v.call<Err>("GET", `${base()}/objects?prefix=..%2F`);
    expect(up.status).toBe(400);
  });

  it("counts views and downloads for its owner, and writes them to the audit log", async () => {
    const listed = await admin.get<{ shares: { id: string; views: number; downloads: number }[] }>(
      "/api/shares",
    );
    const mine = listed.body.shares.find((s) => s.id === created.share.id)!;
    expect(mine.views).toBeGreaterThanOrEqual(2);
    expect(mine.downloads).toBe(1);
    const log = await admin.get<{ entries: { action: string; result: string; username: string }[] }>(
      "/api/audit?limit=200",
    );
    const actions = log.body.entries.map((e) => `${e.action}:${e.result}`);
    expect(actions).toEqual(
      expect.arrayContaining(["share.download:ok", "share.unlock:ok", "share.unlock:denied"]),
    );
    expect(log.body.entries.find((e) => e.action === "share.download")?.username).toMatch(/^share:/);
  });

  it("a changed code locks out the old one; revoking ends every request at once (410)", async () => {
    const v = new Visitor("198.51.100.22");
    await v.call("POST", `${base()}/unlock`, { code: "Secret42" });
    expect((await v.call("GET", `${base()}/objects`)).status).toBe(200);
    const changed = await admin.patch(`/api/shares/${created.share.id}`, { code: "NewCode77" });
    expect(changed.status).toBe(200);
    expect((await v.call("GET", `${base()}/objects`)).status).toBe(403);
    expect((await v.call("POST", `${base()}/unlock`, { code: "NewCode77" })).status).toBe(200);
    expect((await v.call("GET", `${base()}/objects`)).status).toBe(200);

    const revoked = await admin.post<{ status: string }>(`/api/shares/${created.share.id}/revoke`);
    expect(revoked.body.status).toBe("revoked");
    for (const [method, path, body] of [
      ["GET", base(), undefined],
      ["GET", `${base()}/objects`, undefined],
      ["POST", `${base()}/download`, { key: "a.jpg" }],
    ] as const) {
      const r = await v.call<Err>(method, path, body);
      expect(r.status).toBe(410);
      expect(r.body.error.message).toMatch(/stopped sharing/);
    }
  });
});

describe("other shares", () => {
  it("a single-use file: the first visitor takes it, the next is told it was used", async () => {
    const created = await createShare(admin, {
      kind: "download",
      key: "datasets/cats/b.txt",
      singleUse: true,
    });
    const base = `/api/public/shares/${tokenOf(created.path)}`;
    const first = new Visitor("198.51.100.30");
    const second = new Visitor("198.51.100.31");
    expect((await first.call<{ unlocked: boolean }>("GET", base)).body.unlocked).toBe(false);
    const [a, b] = await Promise.all([
      first.call("POST", `${base}/unlock`, {}),
      second.call("POST", `${base}/unlock`, {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 410]);
    const winner = a.status === 200 ? first : second;
    {
      const page = await winner.call<Listing>("GET", `${base}/objects`);
      expect(page.body.objects).toEqual([expect.objectContaining({ key: "b.txt", size: 5 })]);
      expect((await winner.call("POST", `${base}/download`, {})).status).toBe(200);
    }
    const late = await new Visitor("198.51.100.32").call<Err>("GET", base);
    expect(late.status).toBe(410);
    expect(late.body.error.message).toMatch(/opened once/);
  });

  it("an expired share is refused with the date it ended", async () => {
    const created = await createShare(admin, { kind: "download", prefix: "datasets/" });
    const { db } = await import("@/lib/server/db");
    await (
      await db()
    )
      .updateTable("shares")
      .set({ expires_at: Date.now() - 1000 })
      .where("id", "=", created.share.id)
      .execute();
    const r = await new Visitor("198.51.100.40").call<Err>(
      "GET",
      `/api/public/shares/${tokenOf(created.path)}`,
    );
    expect(r.status).toBe(410);
    expect(r.body.error.message).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    const listed = await admin.get<{ shares: { id: string; status: string }[] }>("/api/shares");
    expect(listed.body.shares.find((s) => s.id === created.share.id)?.status).toBe("expired");
  });

  it("unknown and malformed addresses: 404 and 400; a share page is not an upload request", async () => {
    const v = new Visitor("198.51.100.41");
    expect((await v.call("GET", `/api/public/shares/${"A".repeat(43)}`)).status).toBe(404);
    expect((await v.call("GET", "/api/public/shares/short")).status).toBe(400);
    const created = await createShare(admin, { kind: "download", prefix: "datasets/" });
    expect((await v.call("GET", `/api/public/uploads/${tokenOf(created.path)}`)).status).toBe(404);
  });

  it("dies when its creator loses access to what it shows, or the connection goes", async () => {
    const bob = await member(admin, "bob");
    const grantId = await grant(admin, conn, { type: "user", id: bob.id }, "viewer", [
      { bucket, prefix: "datasets/" },
    ]);
    const r = await bob.client.post<Created>(api("shares"), {
      kind: "download",
      prefix: "datasets/cats/",
      expiresIn: 3600,
    });
    expect(r.status).toBe(201);
    const base = `/api/public/shares/${tokenOf(r.body.path)}`;
    const v = new Visitor("198.51.100.50");
    expect((await v.call("GET", `${base}/objects`)).status).toBe(200);
    // Bob may not share beyond his own scope.
    const wider = await bob.client.post<Err>(api("shares"), {
      kind: "download",
      prefix: "",
      expiresIn: 3600,
    });
    expect(wider.status).toBe(403);
    // A viewer cannot ask outsiders for files.
    const upload = await bob.client.post<Err>(api("shares"), {
      kind: "upload",
      prefix: "datasets/cats/",
      expiresIn: 3600,
    });
    expect(upload.status).toBe(403);

    expect((await admin.delete(`/api/connections/${conn}/grants/${grantId}`)).status).toBe(200);
    const dead = await v.call<Err>("GET", `${base}/objects`);
    expect(dead.status).toBe(410);
    expect(dead.body.error.message).toMatch(/can no longer reach/);

    // A share goes with its connection.
    const other = await addRgwConnection(admin, { name: "short-lived" });
    const doomed = await admin.post<Created>(`/api/buckets/${bucket}/shares?connection=${other}`, {
      kind: "download",
      prefix: "datasets/",
      expiresIn: 3600,
    });
    expect(doomed.status).toBe(201);
    expect((await admin.delete(`/api/connections/${other}`)).status).toBe(200);
    expect((await v.call("GET", `/api/public/shares/${tokenOf(doomed.body.path)}`)).status).toBe(404);
  });
});

describe("an upload request", () => {
  let created: Created;
  const base = () => `/api/public/uploads/${tokenOf(created.path)}`;
  const visit = () => randomBytes(16).toString("base64url");

  beforeAll(async () => {
    // Without a CORS rule for this app, outsiders could not upload: the owner is told at once.
    const refused = await admin.post<Err>(api("shares"), {
      kind: "upload",
      prefix: "incoming/",
      expiresIn: 3600,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details?.storeCode).toBe("CorsNotAllowed");
    await directClient().send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [APP_ORIGIN],
              AllowedMethods: appCorsRule(APP_ORIGIN).allowedMethods,
              AllowedHeaders: ["*"],
              ExposeHeaders: ["ETag"],
            },
          ],
        },
      }),
    );
    created = await createShare(admin, {
      kind: "upload",
      prefix: "incoming/",
      maxFiles: 3,
      maxBytes: 100,
      maxFileBytes: 60,
      extensions: ["txt", "csv"],
    });
  });

  it("refuses a file of another type, or over the size limit, naming it and the rule", async () => {
    const v = new Visitor("198.51.100.60");
    const info = await v.call<{ limits: { filesLeft: number; extensions: string[] } }>("GET", base());
    expect(info.body.limits).toMatchObject({ filesLeft: 3, extensions: ["txt", "csv"] });
    const exe = await v.call<Err>("POST", `${base()}/plan`, {
      visit: visit(),
      files: [{ key: "run.exe", size: 3 }],
    });
    expect(exe.status).toBe(400);
    expect(exe.body.error.message).toBe(
      'files.0.key: "run.exe" is not accepted here: only .txt, .csv files are',
    );
    const big = await v.call<Err>("POST", `${base()}/plan`, {
      visit: visit(),
      files: [{ key: "big.txt", size: 61 }],
    });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(
      /^files\.0\.size: "big\.txt" is 61 bytes; files here may be at most 60 bytes/,
    );
  });

  it("counts its limits across parallel plans: never more than allowed, whatever the race", async () => {
    const plans = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        new Visitor(`198.51.100.${70 + i}`).call<{ uploads: Plan[] } & Err>("POST", `${base()}/plan`, {
          visit: visit(),
          label: "vendor",
          files: [{ key: "a.txt", size: 30, contentType: "text/plain" }],
        }),
      ),
    );
    expect(plans.map((p) => p.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    const refused = plans.find((p) => p.status === 409)!;
    expect(refused.body.error.message).toMatch(/at most 3 files|at most 100 bytes/);
    const { db } = await import("@/lib/server/db");
    const row = await (
      await db()
    )
      .selectFrom("shares")
      .select(["files_reserved", "bytes_reserved"])
      .where("id", "=", created.share.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ files_reserved: 3, bytes_reserved: 90 });

    // Three files called a.txt into one folder: none overwrites another.
    const granted = plans.filter((p) => p.status === 201).map((p) => p.body.uploads[0]!);
    const body = Buffer.from("x".repeat(30));
    for (const plan of granted) {
      if (plan.kind !== "single") throw new Error("expected one PUT");
      const put = await fetch(plan.url, {
        method: "PUT",
        body: new Uint8Array(body),
        headers: { ...plan.headers, "content-md5": md5(body) },
      });
      expect(put.status).toBe(200);
    }
    const files = await admin.get<{ files: { key: string; status: string }[] }>(
      `/api/shares/${created.share.id}/files`,
    );
    expect(files.body.files.map((f) => f.key).sort()).toEqual([
      "incoming/vendor/a (1).txt",
      "incoming/vendor/a (2).txt",
      "incoming/vendor/a.txt",
    ]);
    expect(files.body.files.every((f) => f.status === "done")).toBe(true);
  });

  it("holds each PUT to the size announced: the store refuses a bigger body", async () => {
    const other = await createShare(admin, { kind: "upload", prefix: "incoming/" });
    const v = new Visitor("198.51.100.80");
    const id = visit();
    const plan = await v.call<{ uploads: Plan[] }>(
      "POST",
      `/api/public/uploads/${tokenOf(other.path)}/plan`,
      {
        visit: id,
        files: [{ key: "small.bin", size: 10 }],
      },
    );
    const up = plan.body.uploads[0]!;
    if (up.kind !== "single") throw new Error("expected one PUT");
    const bigger = Buffer.alloc(1000, 1);
    const refused = await fetch(up.url, {
      method: "PUT",
      body: new Uint8Array(bigger),
      headers: { "content-md5": md5(bigger) },
    });
    expect(refused.status).toBe(403);
    const right = Buffer.alloc(10, 1);
    const ok = await fetch(up.url, {
      method: "PUT",
      body: new Uint8Array(right),
      headers: { "content-md5": md5(right) },
    });
    expect(ok.status).toBe(200);

    // The uploader sees what they sent in this visit, and only that.
    const mine = await v.call<{ files: { path: string; storedAs: string; status: string }[] }>(
      "POST",
      `/api/public/uploads/${tokenOf(other.path)}/files`,
      { visit: id },
    );
    expect(mine.body.files).toEqual([
      {
        path: "small.bin",
        storedAs: `${new Date().toISOString().slice(0, 10)}/small.bin`,
        size: 10,
        status: "done",
      },
    ]);
    const stranger = await v.call<{ files: unknown[] }>(
      "POST",
      `/api/public/uploads/${tokenOf(other.path)}/files`,
      {
        visit: visit(),
      },
    );
    expect(stranger.body.files).toEqual([]);
  });

  it("a large file in parts, each signed for its exact length, completed", async () => {
    const other = await createShare(admin, { kind: "upload", prefix: "incoming/" });
    const b = `/api/public/uploads/${tokenOf(other.path)}`;
    const v = new Visitor("198.51.100.81");
    const id = visit();
    const data = randomBytes(17 * 1024 * 1024);
    const plan = await v.call<{ uploads: Plan[] }>("POST", `${b}/plan`, {
      visit: id,
      label: "weights",
      files: [{ key: "model.bin", size: data.length }],
    });
    const up = plan.body.uploads[0]!;
    if (up.kind !== "multipart") throw new Error("expected parts");
    const signed = await v.call<{ urls: Record<string, string> }>("POST", `${b}/parts`, {
      visit: id,
      key: up.key,
      uploadId: up.uploadId,
      partNumbers: [1, 2, 3],
    });
    expect(signed.status).toBe(200);
    const parts: { partNumber: number; etag: string }[] = [];
    for (let n = 1; n <= up.partCount; n++) {
      const part = data.subarray((n - 1) * up.partSize, n * up.partSize);
      if (n === 1) {
        // One byte more than the part's length: refused by the store.
        const longer = Buffer.concat([part, Buffer.from([0])]);
        const bad = await fetch(signed.body.urls["1"]!, { method: "PUT", body: new Uint8Array(longer) });
        expect(bad.status).toBe(403);
      }
      const r = await fetch(signed.body.urls[String(n)]!, {
        method: "PUT",
        body: new Uint8Array(part),
        headers: { "content-md5": md5(part) },
      });
      expect(r.status).toBe(200);
      parts.push({ partNumber: n, etag: r.headers.get("etag")! });
    }
    const listed = await v.call<{ parts: unknown[] }>("POST", `${b}/parts/list`, {
      visit: id,
      key: up.key,
      uploadId: up.uploadId,
    });
    expect(listed.body.parts).toHaveLength(3);
    // Another visit cannot touch it.
    const foreign = await v.call<Err>("POST", `${b}/complete`, {
      visit: visit(),
      key: up.key,
      uploadId: up.uploadId,
      parts,
    });
    expect(foreign.status).toBe(404);
    const done = await v.call("POST", `${b}/complete`, {
      visit: id,
      key: up.key,
      uploadId: up.uploadId,
      parts,
    });
    expect(done.status).toBe(200);
    const stored = await directClient().send(
      new GetObjectCommand({ Bucket: bucket, Key: "incoming/weights/model.bin" }),
    );
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(data)).toBe(true);
  });

  it("takes nothing more once closed", async () => {
    const closed = await admin.post(`/api/shares/${created.share.id}/revoke`);
    expect(closed.status).toBe(200);
    const r = await new Visitor("198.51.100.90").call<Err>("POST", `${base()}/plan`, {
      visit: visit(),
      files: [{ key: "late.txt", size: 1 }],
    });
    expect(r.status).toBe(410);
    expect(r.body.error.message).toMatch(/closed/);
  });
});
