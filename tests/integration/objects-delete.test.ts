import { addRgwConnection, adminClient, TestClient } from "../helpers/api-client";
import { createTestBucket, listKeys, removeTestBucket, seedObjects } from "../helpers/s3";

jest.setTimeout(300_000);

interface Step {
  deleted: number;
  errors: { key: string }[];
  next: object | null;
  done: boolean;
}
interface Summary {
  objects: number;
  bytes: number;
  extensions: { name: string; count: number }[];
  subfolders: { name: string; count: number }[];
  nextCursor: string | null;
}

async function countUnder(bucket: string, prefix: string): Promise<number> {
  return (await listKeys(bucket, prefix)).length;
}

describe("deleting and summarising objects (Ceph RGW)", () => {
  let admin: TestClient;
  let conn: string;
  let bucket: string;
  const data = Array.from(
    { length: 3000 },
    (_, i) =>
      `data/${["cat", "dog", "bird"][i % 3]}/${String(i).padStart(5, "0")}.${i % 10 === 0 ? "png" : "jpg"}`,
  );

  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    bucket = await createTestBucket();
    await seedObjects(bucket, [
      ...data.map((k): [string, string] => [k, "0123456789"]),
      ["data/", ""],
      ["data-old/keep-1.jpg", "x"],
      ["data-old/keep-2.jpg", "x"],
      ["data.txt", "x"],
      ["odd/with space.txt", "x"],
      ["odd/plus+sign.txt", "x"],
      ["odd/percent%.txt", "x"],
      ["odd/hash#.txt", "x"],
      ["odd/question?.txt", "x"],
      ["odd/中文 名称.txt", "x"],
      [`odd/${"长".repeat(338)}xxxxxx`, "x"], // 4 + 338 × 3 + 6 = 1,024 bytes
    ]);
  });
  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  const step = (body: object) =>
    admin.post<Step>(`/api/buckets/${bucket}/objects/delete?connection=${conn}`, body);

  it("summarises a folder page by page: count, bytes, file types, sub-folders as labels", async () => {
    const total = {
      objects: 0,
      bytes: 0,
      extensions: {} as Record<string, number>,
      subfolders: {} as Record<string, number>,
    };
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await admin.post<Summary>(`/api/buckets/${bucket}/objects/summary?connection=${conn}`, {
        prefix: "data/",
        ...(cursor ? { cursor } : {}),
      });
      expect(r.status).toBe(200);
      total.objects += r.body.objects;
      total.bytes += r.body.bytes;
      for (const e of r.body.extensions) total.extensions[e.name] = (total.extensions[e.name] ?? 0) + e.count;
      for (const e of r.body.subfolders) total.subfolders[e.name] = (total.subfolders[e.name] ?? 0) + e.count;
      cursor = r.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(total).toMatchObject({ objects: 3000, bytes: 30_000, extensions: { ".jpg": 2700, ".png": 300 } });
    expect(total.subfolders).toEqual({ cat: 1000, dog: 1000, bird: 1000 });
  });

  it("summarises folders named like object properties", async () => {
    await seedObjects(bucket, [
      ["props/__proto__/a.jpg", "x"],
      ["props/constructor/b.jpg", "x"],
      ["props/toString/c.txt", "x"],
    ]);
    const r = await admin.post<Summary>(`/api/buckets/${bucket}/objects/summary?connection=${conn}`, {
      prefix: "props/",
    });
    expect(r.status).toBe(200);
    expect(r.body.objects).toBe(3);
    expect([...r.body.subfolders].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "__proto__", count: 1 },
      { name: "constructor", count: 1 },
      { name: "toString", count: 1 },
    ]);
    await step({ prefixes: ["props/"] });
  });

  it("deletes a folder of 3,000 objects recursively, in batches, touching nothing outside it", async () => {
    let body: object = { prefixes: ["data/"] };
    let deleted = 0;
    let steps = 0;
    for (;;) {
      const r = await step(body);
      expect(r.status).toBe(200);
      expect(r.body.errors).toEqual([]);
      deleted += r.body.deleted;
      steps++;
      if (r.body.done) break;
      body = { prefixes: ["data/"], cursor: r.body.next };
    }
    expect(deleted).toBe(3001); // and the folder's own marker
    expect(steps).toBeGreaterThanOrEqual(4);
    expect(await countUnder(bucket, "data/")).toBe(0);
    expect((await listKeys(bucket, "data-old/")).sort()).toEqual([
      "data-old/keep-1.jpg",
      "data-old/keep-2.jpg",
    ]);
    expect(await listKeys(bucket, "data.txt")).toEqual(["data.txt"]);
  });

  it("deletes selected keys with spaces, +, %, #, ?, Chinese and 1,024 bytes", async () => {
    const keys = await listKeys(bucket, "odd/");
    expect(keys).toHaveLength(7);
    expect(keys.some((k) => new TextEncoder().encode(k).length === 1024)).toBe(true);
    const r = await step({ keys });
    expect(r.body).toMatchObject({ deleted: 7, errors: [], done: true });
    expect(await listKeys(bucket, "odd/")).toEqual([]);
  });

  it("refuses the whole bucket as a prefix, and an empty request", async () => {
    const whole = await admin.post<{ error: { message: string } }>(
      `/api/buckets/${bucket}/objects/delete?connection=${conn}`,
      {
        prefixes: [""],
      },
    );
    expect(whole.status).toBe(400);
    expect(whole.body.error.message).toBe("prefixes.0: the whole bucket cannot be deleted this way");
    const none = await admin.post<{ error: { message: string } }>(
      `/api/buckets/${bucket}/objects/delete?connection=${conn}`,
      {},
    );
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe("keys: give keys or prefixes to delete");
    expect(await listKeys(bucket, "data-old/")).toHaveLength(2);
  });
});
