import { addRgwConnection, adminClient, TestClient } from "../helpers/api-client";
import { hostileStore } from "../helpers/hostile-store";
import { createTestBucket, removeTestBucket, seedObjects } from "../helpers/s3";
import { member } from "../helpers/sharing";

// Any signed-in user can point a connection at a store of their own. Here one does, at a store that never
// stops listing, answers 200 MB, trickles one byte at a time, or lists 100,000 buckets. Each time the
// attacker's request ends within bounds, the server's memory stays bounded, and another user working on a
// real store (Ceph RGW) meanwhile is answered as usual.

process.env.S3_CALL_DEADLINE_SECONDS = "4";
process.env.S3_CALLS_PER_USER = "8";

let alice: TestClient;
let aliceConn: string;
let bucket: string;
let mallory: TestClient;

beforeAll(async () => {
  alice = await adminClient();
  aliceConn = await addRgwConnection(alice);
  bucket = await createTestBucket();
  await seedObjects(bucket, [["a.txt", "a"]]);
  mallory = (await member(alice, "mallory")).client;
});
afterAll(() => removeTestBucket(bucket).catch(() => undefined));

async function hostileConnection(endpoint: string): Promise<string> {
  return addRgwConnection(mallory, { endpoint, name: `hostile-${Math.random().toString(36).slice(2)}` });
}

/**
 * Runs the attack and, while it lasts, Alice's ordinary requests one after another; returns how long the
 * attack took and Alice's slowest answer.
 */
async function whileAttacking<T>(attack: () => Promise<T>) {
  let done = false;
  const started = Date.now();
  const running = attack().finally(() => (done = true));
  const latencies: number[] = [];
  await new Promise((r) => setTimeout(r, 50));
  while (!done) {
    const t = Date.now();
    const [buckets, objects] = await Promise.all([
      alice.get(`/api/buckets?connection=${aliceConn}`),
      alice.get(`/api/buckets/${bucket}/objects?connection=${aliceConn}&prefix=`),
    ]);
    expect([buckets.status, objects.status]).toEqual([200, 200]);
    latencies.push(Date.now() - t);
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = await running;
  return {
    result,
    attackMs: Date.now() - started,
    slowest: Math.max(0, ...latencies),
    probes: latencies.length,
  };
}

const rssMiB = () => process.memoryUsage().rss / 1024 / 1024;

describe("a hostile store cannot hold the server or other users", () => {
  it("endless listings: a folder's links stop when the store goes round in circles", async () => {
    const store = await hostileStore("endless-listing");
    try {
      const conn = await hostileConnection(store.endpoint);
      const link = await mallory.post<{ link: { id: string } }>(
        `/api/buckets/bkt/presign?connection=${conn}`,
        {
          prefix: "data/",
          method: "GET",
          expiresIn: 600,
        },
      );
      expect(link.status).toBe(201);
      const { result } = await whileAttacking(() =>
        mallory.get<string>(`/api/links/${link.body.link.id}/export?format=txt`),
      );
      expect(result.status).toBe(200);
      expect(result.body.trim().split("\n").length).toBeLessThanOrEqual(2000);
      expect(store.counts.listObjects).toBeLessThanOrEqual(3);
    } finally {
      await store.close();
    }
  });

  it("endless part listings: at most the 10,000 parts an upload can have", async () => {
    const store = await hostileStore("endless-listing");
    try {
      const conn = await hostileConnection(store.endpoint);
      const r = await mallory.get<{ parts: unknown[] }>(
        `/api/buckets/bkt/uploads/u1?connection=${conn}&key=k`,
      );
      expect(r.status).toBe(200);
      expect(r.body.parts).toHaveLength(10_000);
      expect(store.counts.listParts).toBe(10);
    } finally {
      await store.close();
    }
  });

  it("a 200 MB answer is refused, with or without a length, and memory stays bounded", async () => {
    const store = await hostileStore("huge");
    try {
      const conn = await hostileConnection(store.endpoint);
      const before = rssMiB();
      const { result: withLength, slowest } = await whileAttacking(() =>
        mallory.get<{ error: { details: { storeCode: string } } }>(`/api/buckets?connection=${conn}`),
      );
      expect(withLength.status).toBe(502);
      expect(withLength.body.error.details.storeCode).toBe("ResponseTooLarge");
      const { result: chunked } = await whileAttacking(() =>
        mallory.get<{ error: { details: { storeCode: string } } }>(
          `/api/buckets/bkt/objects?connection=${conn}&prefix=`,
        ),
      );
      expect(chunked.status).toBe(502);
      expect(chunked.body.error.details.storeCode).toBe("ResponseTooLarge");
      expect(rssMiB() - before).toBeLessThan(120);
      expect(slowest).toBeLessThan(1500);
    } finally {
      await store.close();
    }
  });

  it("one byte at a time: each call is cut at its deadline, at most 8 at once, and others are served meanwhile", async () => {
    const store = await hostileStore("trickle", { trickleMs: 300 });
    try {
      const conn = await hostileConnection(store.endpoint);
      const { result, attackMs, slowest, probes } = await whileAttacking(() =>
        Promise.all(
          Array.from({ length: 20 }, () =>
            mallory.get<{ error: { details: { storeCode: string } } }>(`/api/buckets?connection=${conn}`),
          ),
        ),
      );
      // Every one of the 20 ended by the deadline (4 s), waiting for a slot included.
      expect(attackMs).toBeLessThan(9000);
      expect(result.every((r) => r.status >= 400)).toBe(true);
      expect(
        result
          .map((r) => r.body.error.details.storeCode)
          .every((c) => c === "Deadline" || c === "TooManyStoreCalls"),
      ).toBe(true);
      expect(store.counts.maxOpen).toBeLessThanOrEqual(8);
      expect(probes).toBeGreaterThan(3);
      expect(slowest).toBeLessThan(1500);
    } finally {
      await store.close();
    }
  });

  it("a browser that goes away stops the store calls made for it", async () => {
    const store = await hostileStore("trickle", { trickleMs: 300 });
    try {
      const conn = await hostileConnection(store.endpoint);
      const controller = new AbortController();
      mallory.signal = controller.signal;
      const pending = mallory.get(`/api/buckets?connection=${conn}`).catch(() => null);
      await new Promise((r) => setTimeout(r, 500));
      expect(store.counts.open).toBe(1);
      controller.abort();
      await pending;
      await new Promise((r) => setTimeout(r, 300));
      expect(store.counts.open).toBe(0);
    } finally {
      mallory.signal = undefined;
      await store.close();
    }
  });

  it("100,000 buckets: listed, but at most 100 region lookups, and others are served meanwhile", async () => {
    const store = await hostileStore("many-buckets");
    try {
      const conn = await hostileConnection(store.endpoint);
      const { result, slowest } = await whileAttacking(() =>
        mallory.get<{ buckets: { region: string | null }[] }>(`/api/buckets?connection=${conn}`),
      );
      expect(result.status).toBe(200);
      expect(result.body.buckets).toHaveLength(100_000);
      expect(result.body.buckets.filter((b) => b.region !== null).length).toBeLessThanOrEqual(100);
      expect(store.counts.locationLookups).toBeLessThanOrEqual(100);
      expect(slowest).toBeLessThan(3000);
    } finally {
      await store.close();
    }
  });
});
