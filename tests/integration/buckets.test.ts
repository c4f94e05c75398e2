import { randomUUID } from "node:crypto";
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  CreateBucketCommand,
} from "@aws-sdk/client-s3";
import { adminClient, TestClient, userClient } from "../helpers/api-client";
import { createRgwUser, directClient, testS3, uniqueBucketName } from "../helpers/s3";
import { recordingProxy, requestHead, type TcpProxy } from "../helpers/tcp-proxy";

jest.setTimeout(240_000);

interface Created {
  bucket: { name: string; region: string };
  warnings: string[];
  settings: { setting: string; ok: boolean; message: string }[];
}
type Err = { error: { code: string; message: string; details?: { storeCode?: string } } };

async function addConnection(
  c: TestClient,
  endpoint: string,
  keys = testS3(),
  name = `rgw-${randomUUID().slice(0, 8)}`,
) {
  const r = await c.post<{ id: string }>("/api/connections", {
    name,
    provider: "s3",
    region: keys.region,
    endpoint,
    addressing: "path",
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

describe("buckets through our API, against Ceph RGW", () => {
  let admin: TestClient;
  let proxy: TcpProxy;
  let conn: string;

  beforeAll(async () => {
    admin = await adminClient();
    proxy = await recordingProxy(testS3().endpoint);
    conn = await addConnection(admin, proxy.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it.each([
    ["STANDARD", "private"],
    ["WARM", "public-read"],
    ["COLD", "public-read-write"],
    ["DEEP_ARCHIVE", "private"],
  ] as const)(
    "creates a bucket with storage class %s and ACL %s, as the store then reports",
    async (storageClass, acl) => {
      const name = uniqueBucketName("sc");
      const r = await admin.post<Created>(`/api/buckets?connection=${conn}`, {
        name,
        storageClass,
        acl,
        browserUploads: false,
        abortIncompleteAfterDays: null,
      });
      expect(r.status).toBe(201);
      expect(r.body.warnings).toEqual(acl === "private" ? [] : [`acl_${acl}`]);
      // The store has it, with that ACL (read back from the store, not from us).
      await directClient().send(new HeadBucketCommand({ Bucket: name }));
      const grants = (await directClient().send(new GetBucketAclCommand({ Bucket: name }))).Grants ?? [];
      const publicPerms = grants
        .filter((g) => g.Grantee?.URI?.endsWith("/AllUsers"))
        .map((g) => g.Permission)
        .sort();
      expect(publicPerms).toEqual(
        { private: [], "public-read": ["READ"], "public-read-write": ["READ", "WRITE"] }[acl],
      );
      const viaApi = await admin.get<{ canned: string }>(`/api/buckets/${name}/acl?connection=${conn}`);
      expect(viaApi.body.canned).toBe(acl);
      // RGW has no notion of OBS's default storage class; the header OBS reads went out on the wire.
      const create = requestHead(proxy, `PUT /${name}/ HTTP/1.1`);
      // Sent for OBS always, and to other stores when a class other than the default is asked for.
      if (storageClass === "STANDARD") expect(create.toLowerCase()).not.toContain("x-default-storage-class");
      else expect(create.toLowerCase()).toContain(`x-default-storage-class: ${storageClass.toLowerCase()}`);
      const list = await admin.get<{ buckets: { name: string }[] }>(`/api/buckets?connection=${conn}`);
      expect(list.body.buckets.map((b) => b.name)).toContain(name);
    },
  );

  it("refuses every invalid name with the rule it breaks, without a single request to the store", async () => {
    const names = [
      "ab",
      "a".repeat(64),
      "My-Bucket",
      "under_score",
      "has space",
      "中文桶名",
      "-leading",
      "trailing-",
      ".leading",
      "trailing.",
      "192.168.1.1",
      "10.0.0.255",
      "double..dot",
      "dot.-hyphen",
      "hyphen-.dot",
      "colon:name",
      "slash/name",
      "UPPER",
      "emoji-😀",
      "",
      "a..b",
    ];
    expect(names.length).toBeGreaterThanOrEqual(20);
    const before = proxy.connections();
    for (const name of names) {
      const r = await admin.post<Err>(`/api/buckets?connection=${conn}`, { name });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/^name: (must|may)/);
    }
    expect(proxy.connections()).toBe(before);
  });

  it("sets up browser uploads (CORS for this app's origin) and upload clean-up (lifecycle) by default", async () => {
    const name = uniqueBucketName("defaults");
    const r = await admin.post<Created>(`/api/buckets?connection=${conn}`, { name });
    expect(r.body.settings.map((s) => [s.setting, s.ok])).toEqual([
      ["cors", true],
      ["lifecycle", true],
    ]);
    const cors = await admin.get<{ rules: { allowedOrigins: string[]; exposeHeaders: string[] }[] }>(
      `/api/buckets/${name}/cors?connection=${conn}`,
    );
    expect(cors.body.rules).toHaveLength(1);
    expect(cors.body.rules[0]).toMatchObject({ allowedOrigins: ["http://app.test"] });
    expect(cors.body.rules[0]!.exposeHeaders).toContain("ETag");
    const lifecycle = await admin.get<{ rules: { abortIncompleteAfterDays: number }[] }>(
      `/api/buckets/${name}/lifecycle?connection=${conn}`,
    );
    expect(lifecycle.body.rules).toEqual([
      expect.objectContaining({ abortIncompleteAfterDays: 7, enabled: true }),
    ]);
    // Configuration bodies went out with Content-MD5 (OBS requires it) and no CRC32.
    const putCors = requestHead(proxy, `PUT /${name}/?cors`);
    expect(putCors.toLowerCase()).toMatch(/content-md5: /);
    expect(putCors.toLowerCase()).not.toMatch(/x-amz-checksum-/);
  });

  it("round-trips lifecycle rules, CORS rules and versioning", async () => {
    const name = uniqueBucketName("rt");
    await admin.post(`/api/buckets?connection=${conn}`, {
      name,
      browserUploads: false,
      abortIncompleteAfterDays: null,
    });
    const rules = [
      {
        id: "expire-tmp",
        enabled: true,
        prefix: "tmp/",
        expirationDays: 3,
        noncurrentExpirationDays: null,
        abortIncompleteAfterDays: null,
      },
      {
        id: "old-versions",
        enabled: false,
        prefix: "",
        expirationDays: null,
        noncurrentExpirationDays: 30,
        abortIncompleteAfterDays: 2,
      },
    ];
    const put = await admin.put<{ rules: unknown[] }>(`/api/buckets/${name}/lifecycle?connection=${conn}`, {
      rules,
    });
    expect(put.status).toBe(200);
    expect(put.body.rules).toEqual(rules);
    expect((await admin.get(`/api/buckets/${name}/lifecycle?connection=${conn}`)).body).toEqual({ rules });
    expect(
      (await admin.put(`/api/buckets/${name}/lifecycle?connection=${conn}`, { rules: [] })).body,
    ).toEqual({ rules: [] });

    const cors = [
      {
        id: "site",
        allowedOrigins: ["https://example.com"],
        allowedMethods: ["GET", "HEAD"],
        allowedHeaders: ["*"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 600,
      },
    ];
    expect((await admin.put(`/api/buckets/${name}/cors?connection=${conn}`, { rules: cors })).body).toEqual({
      rules: cors,
    });
    expect((await admin.put(`/api/buckets/${name}/cors?connection=${conn}`, { rules: [] })).body).toEqual({
      rules: [],
    });

    expect((await admin.get(`/api/buckets/${name}/versioning?connection=${conn}`)).body).toEqual({
      status: "Off",
    });
    expect(
      (await admin.put(`/api/buckets/${name}/versioning?connection=${conn}`, { enabled: true })).body,
    ).toEqual({ status: "Enabled" });
    expect(
      (await admin.put(`/api/buckets/${name}/versioning?connection=${conn}`, { enabled: false })).body,
    ).toEqual({ status: "Suspended" });
    expect((await admin.get(`/api/buckets/${name}/policy?connection=${conn}`)).body).toEqual({
      policy: null,
    });
  });

  it("explains a name taken by another account, a name already yours, and a full quota", async () => {
    const other = createRgwUser(`other-${randomUUID().slice(0, 8)}`);
    const taken = uniqueBucketName("taken");
    await directClient(other).send(new CreateBucketCommand({ Bucket: taken }));
    const r1 = await admin.post<Err>(`/api/buckets?connection=${conn}`, { name: taken });
    expect(r1.status).toBe(409);
    expect(r1.body.error.details?.storeCode).toBe("BucketAlreadyExists");
    expect(r1.body.error.message).toMatch(/taken by another account/);

    const mine = uniqueBucketName("mine");
    await admin.post(`/api/buckets?connection=${conn}`, { name: mine });
    const r2 = await admin.post<Err>(`/api/buckets?connection=${conn}`, { name: mine });
    expect(r2.status).toBe(409);
    expect(r2.body.error.message).toBe(`name: you already have a bucket named ${mine}`);

    const limited = createRgwUser(`limited-${randomUUID().slice(0, 8)}`, { maxBuckets: 1 });
    const limitedConn = await addConnection(admin, testS3().endpoint, limited);
    expect(
      (await admin.post(`/api/buckets?connection=${limitedConn}`, { name: uniqueBucketName("q1") })).status,
    ).toBe(201);
    const r3 = await admin.post<Err>(`/api/buckets?connection=${limitedConn}`, {
      name: uniqueBucketName("q2"),
    });
    expect(r3.status).toBe(409);
    expect(r3.body.error.details?.storeCode).toBe("TooManyBuckets");
    expect(r3.body.error.message).toMatch(/bucket quota/);
  });

  it("refuses to delete a non-empty bucket, explaining how", async () => {
    const name = uniqueBucketName("full");
    await admin.post(`/api/buckets?connection=${conn}`, { name });
    await directClient().send(new PutObjectCommand({ Bucket: name, Key: "x", Body: "x" }));
    const r = await admin.delete<Err>(`/api/buckets/${name}?connection=${conn}`);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/is not empty. Empty it first/);
  });

  it("keeps connections private: another user cannot list buckets through my connection", async () => {
    const mallory = await userClient(admin, `mallory${Date.now()}`);
    expect((await mallory.get(`/api/buckets?connection=${conn}`)).status).toBe(404);
    expect((await mallory.delete(`/api/buckets/whatever?connection=${conn}`)).status).toBe(404);
    const none = await mallory.get<Err>("/api/buckets");
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/Add an access key first/);
  });

  it("empties a versioned bucket of 2,500 objects with several versions each and 3 unfinished uploads, then deletes it", async () => {
    const name = uniqueBucketName("versioned");
    const s3 = directClient();
    await admin.post(`/api/buckets?connection=${conn}`, { name, versioning: true, browserUploads: false });
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const keys = Array.from({ length: 2500 }, (_, i) => `data/${String(i).padStart(5, "0")}.bin`);
    const jobs: (() => Promise<unknown>)[] = [];
    for (const key of keys) {
      jobs.push(() => s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: "v1" })));
      jobs.push(() => s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: "v2" })));
    }
    for (const key of keys.slice(0, 300))
      jobs.push(() => s3.send(new DeleteObjectCommand({ Bucket: name, Key: key })));
    for (let i = 0; i < 3; i++) {
      jobs.push(() => s3.send(new CreateMultipartUploadCommand({ Bucket: name, Key: `big/${i}.bin` })));
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );

    let marker: object = {};
    let deleted = 0;
    let aborted = 0;
    let steps = 0;
    for (;;) {
      const r = await admin.post<{
        deleted: number;
        abortedUploads: number;
        errors: unknown[];
        next: object | null;
        done: boolean;
      }>(`/api/buckets/${name}/empty?connection=${conn}`, marker);
      expect(r.status).toBe(200);
      expect(r.body.errors).toEqual([]);
      deleted += r.body.deleted;
      aborted += r.body.abortedUploads;
      steps++;
      if (r.body.done) break;
      marker = r.body.next ?? {};
    }
    expect(deleted).toBe(2500 * 2 + 300);
    expect(aborted).toBe(3);
    expect(steps).toBeGreaterThanOrEqual(6); // batches of at most 1,000
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: name }));
    expect([...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]).toEqual([]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: name }))).Uploads ?? []).toEqual([]);
    expect((await admin.delete(`/api/buckets/${name}?connection=${conn}`)).status).toBe(200);
    const list = await admin.get<{ buckets: { name: string }[] }>(`/api/buckets?connection=${conn}`);
    expect(list.body.buckets.map((b) => b.name)).not.toContain(name);
  });
});
