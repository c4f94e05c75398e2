import { PutObjectCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { createTestBucket, directClient, removeTestBucket } from "../helpers/s3";

jest.setTimeout(180_000);

// Folder download: the app signs GETs (a folder a page at a time, or named files) and the bytes come from the
// store itself. Against Ceph RGW: every file of a folder, sub-folders included, equal bytes through the URLs.

type Files = {
  files: { key: string; size: number | null; archived: boolean; url: string }[];
  nextCursor: string | null;
  expiresAt: string;
};
type Err = { error: { code: string; message: string } };

let admin: TestClient;
let conn: string;
let bucket: string;
const url = () => `/api/buckets/${bucket}/objects/download?connection=${conn}`;
const bodies = new Map<string, Buffer>();

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin);
  bucket = await createTestBucket();
  const keys = ["set/a.bin", "set/b.bin", "set/sub/c.bin", "set/sub/deeper/d 空格.bin", "other/x.bin"];
  for (const [i, key] of keys.entries()) {
    const body = randomBytes(1000 + i * 777);
    bodies.set(key, body);
    await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }
  // A folder marker is not a file to download.
  await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: "set/empty/", Body: "" }));
});
afterAll(async () => {
  await removeTestBucket(bucket).catch(() => undefined);
});

describe("folder download", () => {
  it("signs every file under a folder, sub-folders included, and the URLs give the stored bytes", async () => {
    const r = await admin.post<Files>(url(), { prefix: "set/" });
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.files.map((f) => [f.key, f.size, f.archived])).toEqual(
      ["set/a.bin", "set/b.bin", "set/sub/c.bin", "set/sub/deeper/d 空格.bin"].map((k) => [
        k,
        bodies.get(k)!.length,
        false,
      ]),
    );
    for (const f of r.body.files) {
      const got = await fetch(f.url);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(bodies.get(f.key)!)).toBe(true);
    }
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(50 * 60 * 1000);
  });

  it("signs named files of a selection", async () => {
    const r = await admin.post<Files>(url(), { keys: ["other/x.bin"] });
    expect(r.status).toBe(200);
    expect(r.body.files).toHaveLength(1);
    expect(r.body.files[0]!.size).toBeNull();
    const got = await fetch(r.body.files[0]!.url);
    expect(Buffer.from(await got.arrayBuffer()).equals(bodies.get("other/x.bin")!)).toBe(true);
  });

  it("refuses a request that names neither files nor a folder, or both, saying which field", async () => {
    for (const body of [{}, { keys: ["a"], prefix: "set/" }, { keys: ["a"], cursor: "x" }]) {
      const r = await admin.post<Err>(url(), body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/keys|cursor/);
    }
    const many = await admin.post<Err>(url(), { keys: Array.from({ length: 1001 }, (_, i) => `k${i}`) });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/keys: must list at most 1000/);
  });

  it("pages a folder with a cursor", async () => {
    const prefix = "paged/";
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) =>
        directClient().send(
          new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${String(i).padStart(4, "0")}`, Body: "x" }),
        ),
      ),
    );
    const first = await admin.post<Files>(url(), { prefix });
    expect(first.body.files).toHaveLength(1000);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin.post<Files>(url(), { prefix, cursor: first.body.nextCursor });
    expect(second.body.files.map((f) => f.key)).toEqual(
      ["1000", "1001", "1002", "1003", "1004"].map((k) => prefix + k),
    );
    expect(second.body.nextCursor).toBeNull();
  });
});
