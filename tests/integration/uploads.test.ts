import { GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { withAppCorsRule } from "@/lib/bucket-rules";
import { addRgwConnection, adminClient, APP_ORIGIN, TestClient } from "../helpers/api-client";
import { createTestBucket, directClient, listKeys, removeTestBucket } from "../helpers/s3";

jest.setTimeout(180_000);

// The upload API against Ceph RGW: the server plans and signs, the bytes go straight to the store (here
// from the test, as the browser would).

type Err = { error: { code: string; message: string; details?: { storeCode?: string } } };
type Plan =
  | { kind: "single"; key: string; url: string; headers: Record<string, string>; expiresAt: string }
  | { kind: "multipart"; key: string; uploadId: string; partSize: number; partCount: number };

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");
const sha256 = (b: Buffer | Uint8Array) => createHash("sha256").update(b).digest("hex");

async function put(url: string, body: Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "PUT",
    body: new Uint8Array(body),
    headers: { "content-md5": md5(body), ...headers },
  });
  return { status: res.status, etag: res.headers.get("etag"), text: await res.text() };
}

async function readBack(bucket: string, key: string) {
  const out = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function storeUploads(bucket: string) {
  const out = await directClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (out.Uploads ?? []).map((u) => ({ key: u.Key, uploadId: u.UploadId }));
}

describe("uploads through the API, against Ceph RGW", () => {
  let admin: TestClient;
  let conn: string;
  let bucket: string;
  const api = (path: string) => `/api/buckets/${bucket}/uploads${path}?connection=${conn}`;

  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    bucket = await createTestBucket();
  });
  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  it("refuses to plan for a bucket whose CORS does not let the app upload, and plans once it does", async () => {
    const r = await admin.post<Err>(api(""), { files: [{ key: "a.txt", size: 3 }] });
    expect(r.status).toBe(409);
    expect(r.body.error.details?.storeCode).toBe("CorsNotAllowed");
    expect(r.body.error.message).toContain(APP_ORIGIN);
    expect(await storeUploads(bucket)).toEqual([]);

    const fix = await admin.put(`/api/buckets/${bucket}/cors?connection=${conn}`, {
      rules: withAppCorsRule([], APP_ORIGIN),
    });
    expect(fix.status).toBe(200);
    const ok = await admin.post<{ uploads: Plan[] }>(api(""), { files: [{ key: "a.txt", size: 3 }] });
    expect(ok.status).toBe(201);
    expect(ok.body.uploads[0]).toMatchObject({ kind: "single", key: "a.txt" });
  });

  it("a small file: one presigned PUT, Content-MD5 checked by the store, content type enforced", async () => {
    const body = Buffer.from("训练数据 line\n".repeat(500));
    const plan = await admin.post<{ uploads: Plan[] }>(api(""), {
      files: [
        { key: "data/小文件.txt", size: body.length, contentType: "text/plain" },
        { key: "data/empty", size: 0 },
      ],
    });
    expect(plan.status).toBe(201);
    const [text, empty] = plan.body.uploads;
    if (text?.kind !== "single" || empty?.kind !== "single") throw new Error("expected single PUTs");
    expect(text.headers).toEqual({ "content-type": "text/plain" });

    // Bytes changed on the way (the MD5 of other bytes): the store refuses them.
    const corrupt = await put(text.url, body, { ...text.headers, "content-md5": md5(Buffer.from("other")) });
    expect(corrupt.status).toBe(400);
    expect(corrupt.text).toContain("BadDigest");
    // Another content type than the signed one: refused.
    expect((await put(text.url, body, { "content-type": "image/png" })).status).toBe(403);

    const good = await put(text.url, body, text.headers);
    expect(good.status).toBe(200);
    expect(good.etag).toBe(`"${createHash("md5").update(body).digest("hex")}"`);
    expect(sha256(await readBack(bucket, "data/小文件.txt"))).toBe(sha256(body));
    expect((await put(empty.url, Buffer.alloc(0))).status).toBe(200);
    expect((await readBack(bucket, "data/empty")).length).toBe(0);
  });

  it("a large file: multipart with presigned parts, listed parts, completed, bytes equal", async () => {
    const body = randomBytes(17 * MiB);
    const plan = await admin.post<{ uploads: Plan[] }>(api(""), {
      files: [{ key: "models/weights.bin", size: body.length, contentType: "application/octet-stream" }],
    });
    const up = plan.body.uploads[0];
    if (up?.kind !== "multipart") throw new Error("expected a multipart plan");
    expect(up.partSize).toBe(8 * MiB);
    expect(up.partCount).toBe(3);
    const signed = await admin.post<{ urls: Record<string, string> }>(
      api(`/${encodeURIComponent(up.uploadId)}/parts`),
      { key: up.key, partNumbers: [1, 2, 3] },
    );
    expect(signed.status).toBe(200);
    const part = (n: number) => body.subarray((n - 1) * up.partSize, n * up.partSize);
    const etags: Record<number, string> = {};
    for (const n of [1, 2]) {
      const r = await put(signed.body.urls[String(n)]!, part(n));
      expect(r.status).toBe(200);
      etags[n] = r.etag!;
    }

    // What the store holds is what a resumed upload goes by.
    const listed = await admin.get<{ parts: { partNumber: number; etag: string; size: number }[] }>(
      `${api(`/${encodeURIComponent(up.uploadId)}`)}&key=${encodeURIComponent(up.key)}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.parts).toEqual([
      { partNumber: 1, etag: etags[1], size: 8 * MiB },
      { partNumber: 2, etag: etags[2], size: 8 * MiB },
    ]);
    const inProgress = await admin.get<{ uploads: { key: string; uploadId: string }[] }>(api(""));
    expect(inProgress.body.uploads).toContainEqual(
      expect.objectContaining({ key: up.key, uploadId: up.uploadId }),
    );

    const last = await put(signed.body.urls["3"]!, part(3));
    expect(last.status).toBe(200);
    etags[3] = last.etag!;
    const done = await admin.post<{ key: string; etag: string | null }>(
      api(`/${encodeURIComponent(up.uploadId)}/complete`),
      { key: up.key, parts: [3, 1, 2].map((n) => ({ partNumber: n, etag: etags[n] })) },
    );
    expect(done.status).toBe(200);
    expect(done.body.etag).toMatch(/-3"$/);
    expect(sha256(await readBack(bucket, up.key))).toBe(sha256(body));
    expect(await storeUploads(bucket)).toEqual([]);
  });

  it("abort leaves nothing behind, and a second abort is not an error", async () => {
    const plan = await admin.post<{ uploads: Plan[] }>(api(""), {
      files: [{ key: "tmp/cancelled.bin", size: 40 * MiB }],
    });
    const up = plan.body.uploads[0];
    if (up?.kind !== "multipart") throw new Error("expected a multipart plan");
    const signed = await admin.post<{ urls: Record<string, string> }>(
      api(`/${encodeURIComponent(up.uploadId)}/parts`),
      { key: up.key, partNumbers: [1] },
    );
    expect((await put(signed.body.urls["1"]!, randomBytes(up.partSize))).status).toBe(200);
    const abort = () => admin.post(api(`/${encodeURIComponent(up.uploadId)}/abort`), { key: up.key });
    expect((await abort()).status).toBe(200);
    expect((await abort()).status).toBe(200);
    expect(await storeUploads(bucket)).toEqual([]);
    const gone = await admin.get<Err>(
      `${api(`/${encodeURIComponent(up.uploadId)}`)}&key=${encodeURIComponent(up.key)}`,
    );
    expect(gone.status).toBe(404);
    expect(gone.body.error.details?.storeCode).toBe("NoSuchUpload");
    expect(await listKeys(bucket, "tmp/")).toEqual([]);
  });

  it("aborts the uploads older than N days, and keeps the newer ones", async () => {
    const plan = await admin.post<{ uploads: Plan[] }>(api(""), {
      files: ["old/a.bin", "old/b.bin", "other/c.bin"].map((key) => ({ key, size: 20 * MiB })),
    });
    expect(plan.status).toBe(201);
    const keep = await admin.post<{ aborted: number; kept: number; nextCursor: string | null }>(
      api("/abort-stale"),
      { olderThanDays: 1, prefix: "" },
    );
    expect(keep.body).toMatchObject({ aborted: 0, kept: 3, nextCursor: null });
    expect(await storeUploads(bucket)).toHaveLength(3);

    const scoped = await admin.post<{ aborted: number }>(api("/abort-stale"), {
      olderThanDays: 0,
      prefix: "old/",
    });
    expect(scoped.body.aborted).toBe(2);
    expect((await storeUploads(bucket)).map((u) => u.key)).toEqual(["other/c.bin"]);
    const all = await admin.post<{ aborted: number }>(api("/abort-stale"), { olderThanDays: 0, prefix: "" });
    expect(all.body.aborted).toBe(1);
    expect(await storeUploads(bucket)).toEqual([]);
  });

  it("names the keys that already exist, across folders", async () => {
    for (const key of ["c/x/1.txt", "c/x/3.txt", "c/y/z/9.txt", "d.txt"]) {
      await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x" }));
    }
    const r = await admin.post<{ existing: string[] }>(api("/conflicts"), {
      keys: ["c/x/1.txt", "c/x/2.txt", "c/x/3.txt", "c/y/z/9.txt", "c/y/new.txt", "d.txt", "e.txt"],
    });
    expect(r.status).toBe(200);
    expect(r.body.existing.sort()).toEqual(["c/x/1.txt", "c/x/3.txt", "c/y/z/9.txt", "d.txt"]);
    const one = await admin.post<{ existing: string[] }>(api("/conflicts"), { keys: ["c/x/2.txt"] });
    expect(one.body.existing).toEqual([]);
  });

  it("bad input gets 400 naming the field and the rule, and starts nothing", async () => {
    const before = await storeUploads(bucket);
    const cases: [string, object, RegExp][] = [
      ["", { files: [{ key: "a", size: -1 }] }, /files\.0\.size: must not be negative/],
      ["", { files: [] }, /files: must name at least one file/],
      ["", { files: [{ key: "k".repeat(1025), size: 1 }] }, /files\.0\.key: must be at most 1024 bytes/],
      [
        "",
        { files: [{ key: "a", size: 1, contentType: "not a type" }] },
        /files\.0\.contentType: must be a media type/,
      ],
      ["/some-id/parts", { key: "a", partNumbers: [0] }, /partNumbers\.0: must be at least 1/],
      ["/some-id/parts", { key: "a", partNumbers: [10001] }, /partNumbers\.0: must be at most 10000/],
      [
        "/some-id/complete",
        {
          key: "a",
          parts: [
            { partNumber: 1, etag: "x" },
            { partNumber: 1, etag: "y" },
          ],
        },
        /parts: must not list a part number twice/,
      ],
      ["/abort-stale", { olderThanDays: -1 }, /olderThanDays: must not be negative/],
    ];
    for (const [path, body, rule] of cases) {
      const r = await admin.post<Err>(api(path), body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(rule);
    }
    expect(await storeUploads(bucket)).toEqual(before);
  });
});
