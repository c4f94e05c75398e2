import {
  DeleteObjectCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { createTestBucket, directClient, removeTestBucket } from "../helpers/s3";

// Small enough that the 7 MiB object below is copied part by part, as a >5 GB object would be.
process.env.S3_MULTIPART_COPY_THRESHOLD_BYTES = String(6 * 1024 * 1024);
jest.setTimeout(180_000);

// Versions and metadata against Ceph RGW: versions and delete markers listed, restored, deleted for good,
// deleted objects brought back; headers and metadata edited in place with the storage class and ACL kept,
// part by part above the copy threshold.

type Version = { key: string; versionId: string; isLatest: boolean; deleteMarker: boolean; size: number };
type Versions = { folders: { prefix: string }[]; versions: Version[]; nextCursor: string | null };
type Err = { error: { code: string; message: string } };

let admin: TestClient;
let conn: string;
let bucket: string;
const api = (path: string) =>
  `/api/buckets/${bucket}/${path}${path.includes("?") ? "&" : "?"}connection=${conn}`;
const s3 = () => directClient();
const put = (Key: string, Body: string | Buffer, extra: Record<string, unknown> = {}) =>
  s3().send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
async function read(Key: string, VersionId?: string) {
  const out = await s3().send(
    new GetObjectCommand({ Bucket: bucket, Key, ...(VersionId ? { VersionId } : {}) }),
  );
  return Buffer.from(await out.Body!.transformToByteArray()).toString();
}

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin);
  bucket = await createTestBucket();
  await s3().send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
  );
});
afterAll(async () => {
  await s3()
    .send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }),
    )
    .catch(() => undefined);
  await removeTestBucket(bucket).catch(() => undefined);
});

describe("versions", () => {
  it("lists each key's versions and delete markers, newest first, and the deleted items", async () => {
    await put("docs/a.txt", "one");
    await put("docs/a.txt", "two");
    await put("docs/b.txt", "bee");
    await put("docs/sub/c.txt", "sea");
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: "docs/a.txt" }));

    const level = await admin.get<Versions>(api("versions?prefix=docs%2F"));
    expect(level.status).toBe(200);
    expect(level.body.folders).toEqual([{ prefix: "docs/sub/" }]);
    const a = level.body.versions.filter((v) => v.key === "docs/a.txt");
    expect(a.map((v) => [v.deleteMarker, v.isLatest, v.size])).toEqual([
      [true, true, 0],
      [false, false, 3],
      [false, false, 3],
    ]);
    const one = await admin.get<Versions>(api("versions?key=docs%2Fb.txt"));
    expect(one.body.versions.map((v) => v.key)).toEqual(["docs/b.txt"]);

    const deleted = await admin.get<Versions>(api("versions?prefix=docs%2F&deleted=1"));
    expect(deleted.body.versions.map((v) => [v.key, v.deleteMarker])).toEqual([["docs/a.txt", true]]);
  });

  it("downloads an older version, restores it over the current one, deletes one for good", async () => {
    const all = (await admin.get<Versions>(api("versions?key=docs%2Fa.txt"))).body.versions;
    const [, two, one] = all;
    const url = await admin.get<{ url: string }>(
      api(`objects/url?key=docs%2Fa.txt&versionId=${encodeURIComponent(one!.versionId)}`),
    );
    expect(url.status).toBe(200);
    expect(await (await fetch(url.body.url)).text()).toBe("one");

    const restored = await admin.post(api("versions/restore"), {
      key: "docs/a.txt",
      versionId: one!.versionId,
    });
    expect(restored.status).toBe(200);
    expect(await read("docs/a.txt")).toBe("one");
    const after = (await admin.get<Versions>(api("versions?key=docs%2Fa.txt"))).body.versions;
    expect(after).toHaveLength(4);
    expect(after[0]).toMatchObject({ isLatest: true, deleteMarker: false, size: 3 });

    const gone = await admin.post(api("versions/delete"), { key: "docs/a.txt", versionId: two!.versionId });
    expect(gone.status).toBe(200);
    const left = (await admin.get<Versions>(api("versions?key=docs%2Fa.txt"))).body.versions;
    expect(left.map((v) => v.versionId)).not.toContain(two!.versionId);
    expect(left).toHaveLength(3);
  });

  it("brings deleted objects back (their latest delete marker goes) and leaves the others as they are", async () => {
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: "docs/b.txt" }));
    const r = await admin.post<{ restored: number; errors: unknown[] }>(api("versions/undelete"), {
      keys: ["docs/b.txt", "docs/sub/c.txt"],
    });
    expect(r.body).toEqual({ restored: 1, errors: [] });
    expect(await read("docs/b.txt")).toBe("bee");
    const deleted = await admin.get<Versions>(api("versions?prefix=docs%2F&deleted=1"));
    expect(deleted.body.versions).toEqual([]);
  });

  it("refuses a version action without a version id, naming the field", async () => {
    const r = await admin.post<Err>(api("versions/restore"), { key: "docs/a.txt" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^versionId:/);
  });
});

describe("metadata", () => {
  it.each([
    ["one copy", 1024],
    ["part by part (above the copy threshold)", 7 * 1024 * 1024],
  ])("edits headers and metadata in place, %s, keeping the bytes and the ACL", async (_, size) => {
    const key = `meta/${size}.bin`;
    const body = randomBytes(size);
    await put(key, body, { ContentType: "application/octet-stream", Metadata: { owner: "lab" } });
    await s3().send(new PutObjectAclCommand({ Bucket: bucket, Key: key, ACL: "public-read" }));
    const r = await admin.post<{ aclKept: boolean }>(api("objects/metadata"), {
      key,
      contentType: "image/png",
      contentDisposition: 'attachment; filename="x.png"',
      cacheControl: "max-age=3600",
      metadata: { owner: "vision-team", dataset: "v2" },
    });
    expect(r.status).toBe(200);
    expect(r.body.aclKept).toBe(true);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head).toMatchObject({
      ContentType: "image/png",
      ContentDisposition: 'attachment; filename="x.png"',
      CacheControl: "max-age=3600",
      Metadata: { owner: "vision-team", dataset: "v2" },
      ContentLength: size,
    });
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(body)).toBe(true);
    const acl = await s3().send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
    expect(acl.Grants?.some((g) => g.Grantee?.URI?.endsWith("/AllUsers") && g.Permission === "READ")).toBe(
      true,
    );
    // What the details dialog reads back.
    const details = await admin.get<{
      contentType: string;
      cacheControl: string;
      metadata: Record<string, string>;
    }>(api(`objects/head?key=${encodeURIComponent(key)}`));
    expect(details.body).toMatchObject({ contentType: "image/png", cacheControl: "max-age=3600" });
  });

  it("refuses metadata the store cannot carry, naming the field and the rule", async () => {
    for (const [body, message] of [
      [{ key: "meta/1024.bin", metadata: { "Bad Name": "x" } }, /^metadata\.Bad Name: must be lowercase/],
      [
        { key: "meta/1024.bin", metadata: { note: "non-ascii 模型" } },
        /^metadata\.note: must be printable ASCII/,
      ],
      [{ key: "meta/1024.bin", contentType: "not a type" }, /^contentType: must be a media type/],
    ] as const) {
      const r = await admin.post<Err>(api("objects/metadata"), body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
  });
});
