import { createHash, randomBytes } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { addRgwConnection, adminClient, TestClient } from "../helpers/api-client";
import { createTestBucket, directClient, listKeys, removeTestBucket } from "../helpers/s3";

// Small enough that the 13 MiB object below is copied part by part, as a >5 GB object would be.
process.env.S3_MULTIPART_COPY_THRESHOLD_BYTES = String(6 * 1024 * 1024);
jest.setTimeout(300_000);

interface Step {
  copied: number;
  removed: number;
  errors: { key: string; code: string }[];
  next: object | null;
  done: boolean;
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function hashOf(bucket: string, key: string): Promise<string> {
  const out = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return sha(await out.Body!.transformToByteArray());
}

async function allKeys(bucket: string, prefix: string): Promise<string[]> {
  // listKeys returns one page of 1,000; these folders are smaller.
  return (await listKeys(bucket, prefix)).sort();
}

describe("copy, move and rename (Ceph RGW)", () => {
  let admin: TestClient;
  let conn: string;
  let bucket: string;
  const hashes = new Map<string, string>();

  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    bucket = await createTestBucket();
    const entries: [string, Buffer][] = Array.from({ length: 250 }, (_, i) => [
      `src/${["a", "b", "c"][i % 3]}/f ${i}+x.bin`,
      randomBytes(1000 + i),
    ]);
    entries.push(["src/big/model.bin", randomBytes(13 * 1024 * 1024)]);
    entries.push(["readme.md", Buffer.from("# read me")]);
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < entries.length) {
          const [Key, Body] = entries[next++]!;
          hashes.set(Key, sha(Body));
          await directClient().send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
        }
      }),
    );
  });
  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  async function run(body: Record<string, unknown>) {
    let cursor: object | undefined;
    const total = { copied: 0, removed: 0, errors: [] as Step["errors"], steps: 0 };
    for (;;) {
      const r = await admin.post<Step>(`/api/buckets/${bucket}/objects/copy?connection=${conn}`, {
        ...body,
        ...(cursor ? { cursor } : {}),
      });
      expect(r.status).toBe(200);
      total.copied += r.body.copied;
      total.removed += r.body.removed;
      total.errors.push(...r.body.errors);
      total.steps++;
      if (r.body.done) return total;
      cursor = r.body.next ?? undefined;
    }
  }

  it("copies a folder: every object arrives with equal bytes, the sources stay", async () => {
    const r = await run({ from: "", to: "copy/", prefixes: ["src/"] });
    expect(r.errors).toEqual([]);
    expect(r.copied).toBe(251);
    expect(r.removed).toBe(0);
    expect(r.steps).toBeGreaterThanOrEqual(3);
    const copied = await allKeys(bucket, "copy/");
    expect(copied).toHaveLength(251);
    for (const key of copied) expect(await hashOf(bucket, key)).toBe(hashes.get(key.replace(/^copy\//, "")));
    expect(await allKeys(bucket, "src/")).toHaveLength(251);
  });

  it("moves a folder: every object arrives with equal bytes (the big one part by part), then the sources go", async () => {
    const r = await run({ from: "", to: "moved/", prefixes: ["src/"], move: true });
    expect(r.errors).toEqual([]);
    expect(r.copied).toBe(251);
    expect(r.removed).toBe(251);
    const moved = await allKeys(bucket, "moved/");
    expect(moved).toHaveLength(251);
    for (const key of moved) expect(await hashOf(bucket, key)).toBe(hashes.get(key.replace(/^moved\//, "")));
    expect(await allKeys(bucket, "src/")).toEqual([]);
  });

  it("renames an object and a folder in place", async () => {
    const r1 = await run({ from: "", to: "", keys: ["readme.md"], rename: "README.md", move: true });
    expect(r1).toMatchObject({ copied: 1, removed: 1, errors: [] });
    expect(await hashOf(bucket, "README.md")).toBe(hashes.get("readme.md"));
    expect(await listKeys(bucket, "readme.md")).toEqual([]);
    const r2 = await run({
      from: "moved/src/",
      to: "moved/src/",
      prefixes: ["moved/src/a/"],
      rename: "alpha",
      move: true,
    });
    expect(r2.errors).toEqual([]);
    expect(await allKeys(bucket, "moved/src/alpha/")).toHaveLength(84);
    expect(await allKeys(bucket, "moved/src/a/")).toEqual([]);
  });

  it("changes an object's storage class in place, keeping its bytes", async () => {
    const r = await admin.post<{ storageClass: string; size: number }>(
      `/api/buckets/${bucket}/objects/storage-class?connection=${conn}`,
      {
        key: "README.md",
        storageClass: "STANDARD_IA",
      },
    );
    expect(r.body).toMatchObject({ storageClass: "STANDARD_IA" });
    const head = await admin.get<{ storageClass: string }>(
      `/api/buckets/${bucket}/objects/head?connection=${conn}&key=README.md`,
    );
    expect(head.body.storageClass).toBe("STANDARD_IA");
    const listed = await admin.get<{ objects: { key: string; storageClass: string }[] }>(
      `/api/buckets/${bucket}/objects?connection=${conn}`,
    );
    expect(listed.body.objects.find((o) => o.key === "README.md")?.storageClass).toBe("STANDARD_IA");
    expect(await hashOf(bucket, "README.md")).toBe(hashes.get("readme.md"));
    // Above the copy threshold the change goes part by part, as it must above 5 GB.
    const big = await admin.post<{ storageClass: string }>(
      `/api/buckets/${bucket}/objects/storage-class?connection=${conn}`,
      {
        key: "moved/src/big/model.bin",
        storageClass: "STANDARD_IA",
      },
    );
    expect(big.body.storageClass).toBe("STANDARD_IA");
    expect(await hashOf(bucket, "moved/src/big/model.bin")).toBe(hashes.get("src/big/model.bin"));
  });

  it("refuses to move a folder into itself, and changes nothing", async () => {
    const before = await allKeys(bucket, "moved/");
    const r = await admin.post<{ error: { message: string } }>(
      `/api/buckets/${bucket}/objects/copy?connection=${conn}`,
      {
        from: "",
        to: "moved/src/",
        prefixes: ["moved/"],
        move: true,
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("to: is inside moved/: a folder cannot go into itself");
    expect(await allKeys(bucket, "moved/")).toEqual(before);
  });
});
