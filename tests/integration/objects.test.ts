import { addRgwConnection, adminClient, TestClient } from "../helpers/api-client";
import { createTestBucket, removeTestBucket, seedObjects } from "../helpers/s3";

jest.setTimeout(300_000);

interface Page {
  prefix: string;
  folders: { prefix: string }[];
  objects: { key: string; size: number; etag: string | null }[];
  nextCursor: string | null;
}
type Err = { error: { message: string } };

const longKey = (() => {
  const base = "special/long-";
  let k = base;
  while (new TextEncoder().encode(`${k}模`).length <= 1020) k += "模";
  while (new TextEncoder().encode(k).length < 1024) k += "x";
  return k;
})();
const SPECIAL = [
  "special/with space.txt",
  "special/plus+sign.txt",
  "special/percent%25 and %.txt",
  "special/hash#tag.txt",
  "special/question?mark.txt",
  "special/训练数据 标签.txt",
  longKey,
];

describe("browsing a bucket through our API (Ceph RGW)", () => {
  let admin: TestClient;
  let conn: string;
  let bucket: string;
  const big = Array.from({ length: 20_000 }, (_, i) => `big/${String(i).padStart(6, "0")}.jpg`);

  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    bucket = await createTestBucket();
    // Seeded in parallel before the tests (64 requests in flight), not one by one inside them.
    await seedObjects(bucket, [
      ...big.map((k): [string, string] => [k, "x"]),
      ...SPECIAL.map((k): [string, string] => [k, `content of ${k}`]),
      ["mixed/a.txt", "a"],
      ["mixed/b.txt", "b"],
      ["mixed/sub1/x.txt", "x"],
      ["mixed/sub2/deeper/y.txt", "y"],
      ["mixed/empty/", ""],
    ]);
  });
  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  const list = (q: string) => admin.get<Page>(`/api/buckets/${bucket}/objects?connection=${conn}&${q}`);

  it("pages through 20,000 objects returning every key exactly once, in order", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page } = await list(
        `prefix=big/&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.objects.length).toBeLessThanOrEqual(1000);
      seen.push(...r.body.objects.map((o) => o.key));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(20);
    expect(seen).toEqual(big);
  });

  it("splits one level into folders and objects (an empty folder's marker is a folder)", async () => {
    const r = await list("prefix=mixed/");
    expect(r.body.folders.map((f) => f.prefix)).toEqual(["mixed/empty/", "mixed/sub1/", "mixed/sub2/"]);
    expect(r.body.objects.map((o) => o.key)).toEqual(["mixed/a.txt", "mixed/b.txt"]);
    expect(r.body.nextCursor).toBeNull();
    const root = await list("");
    expect(root.body.folders.map((f) => f.prefix)).toEqual(["big/", "mixed/", "special/"]);
    const empty = await list("prefix=mixed/empty/");
    expect(empty.body).toMatchObject({ folders: [], objects: [], nextCursor: null });
  });

  it("lists and opens keys with spaces, +, %, #, ?, Chinese and 1,024 bytes", async () => {
    expect(new TextEncoder().encode(longKey).length).toBe(1024);
    const r = await list("prefix=special/");
    expect(r.body.objects.map((o) => o.key).sort()).toEqual([...SPECIAL].sort());
    for (const key of SPECIAL) {
      const link = await admin.post<{ links: { url: string }[] }>(
        `/api/buckets/${bucket}/presign?connection=${conn}`,
        {
          key,
          method: "GET",
          expiresIn: 300,
        },
      );
      expect(link.status).toBe(201);
      const res = await fetch(link.body.links[0]!.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(`content of ${key}`);
    }
  });

  it("filters by name within the folder on the server", async () => {
    const r = await list("prefix=big/&filter=0001");
    expect(r.body.objects).toHaveLength(100);
    expect(r.body.objects.every((o) => o.key.startsWith("big/0001"))).toBe(true);
    expect(r.body.prefix).toBe("big/");
  });

  it("refuses a cursor it did not give out, and a prefix without its slash", async () => {
    const bad = await list("prefix=big/&cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as Err).error.message).toBe("cursor: is not a cursor this server gave out");
    const noSlash = await list("prefix=big");
    expect(noSlash.status).toBe(400);
    expect((noSlash.body as unknown as Err).error.message).toBe('prefix: must be empty or end with "/"');
  });

  it("creates a folder as the console does (a zero-byte key ending in /)", async () => {
    const r = await admin.post<{ prefix: string }>(`/api/buckets/${bucket}/folders?connection=${conn}`, {
      prefix: "mixed/",
      name: "新建 folder",
    });
    expect(r.status).toBe(201);
    expect(r.body.prefix).toBe("mixed/新建 folder/");
    expect((await list("prefix=mixed/")).body.folders.map((f) => f.prefix)).toContain("mixed/新建 folder/");
    const bad = await admin.post<Err>(`/api/buckets/${bucket}/folders?connection=${conn}`, {
      prefix: "mixed/",
      name: "a/b",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('name: must not contain "/" (create one level at a time)');
  });
});
