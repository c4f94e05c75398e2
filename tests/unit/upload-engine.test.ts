import { createHash } from "node:crypto";
import { ApiError } from "@/lib/api-client";
import { UploadEngine, type Batch } from "@/lib/upload/engine";
import { renamed } from "@/lib/upload/keys";
import type { PickedEntry, ResumeRecord } from "@/lib/upload/types";
import { partCountFor, partSizeFor } from "@/lib/validation/uploads";
import { FakeStore, MiB, target } from "../helpers/fake-upload-store";

// The engine's logic against an in-memory store (the real store is in the e2e tests): what is sent, how
// often, in what order, and what is left behind.

class MemoryResume {
  records = new Map<string, ResumeRecord>();
  async save(r: ResumeRecord) {
    this.records.set(r.uploadId, r);
  }
  async remove(id: string) {
    this.records.delete(id);
  }
  async all() {
    return [...this.records.values()];
  }
}

function file(path: string, size: number, fill = path): PickedEntry {
  const bytes = Buffer.alloc(size, fill);
  return { kind: "file", path, file: new File([bytes], path.split("/").pop()!, { lastModified: 1 }) };
}

function engine(store: FakeStore, over: Partial<ConstructorParameters<typeof UploadEngine>[0]> = {}) {
  const settled: Batch[] = [];
  const e = new UploadEngine({
    transport: store,
    backoff: () => 0,
    onBatchSettled: (b) => settled.push(b),
    ...over,
  });
  return { e, settled };
}

async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}
const overwrite = async () => ({ action: "overwrite" as const, all: true });

describe("the upload engine", () => {
  it("uploads small files, empty files, empty folders and a multipart file within the budget", async () => {
    const store = new FakeStore();
    const { e, settled } = engine(store, { concurrency: 4 });
    const entries: PickedEntry[] = [
      ...Array.from({ length: 300 }, (_, i) => file(`set/${i % 7}/f${i}.txt`, 10 + i)),
      file("set/empty.txt", 0),
      { kind: "folder", path: "set/nothing-here" },
      file("set/big.bin", 40 * MiB + 3, "b"),
    ];
    await e.add(target, "in/", entries, overwrite);
    await until(() => e.stats().active === 0);
    expect(e.stats()).toMatchObject({ files: 303, done: 303, failed: 0 });
    expect(store.objects.get("in/set/big.bin")?.length).toBe(40 * MiB + 3);
    expect(store.objects.get("in/set/empty.txt")?.length).toBe(0);
    expect(store.objects.get("in/set/nothing-here/")?.length).toBe(0);
    expect(store.objects.get("in/set/3/f3.txt")?.toString()).toBe("set/3/f3.txt".repeat(5).slice(0, 13));
    expect(store.maxInFlight).toBeLessThanOrEqual(4);
    expect(store.uploads.size).toBe(0);
    expect(settled).toHaveLength(1);
    expect(e.stats().sentBytes).toBe(e.stats().totalBytes);
  });

  it("reads a small file once: up to 64 KiB a PUT sends the bytes read, above the file, which the browser streams", async () => {
    const store = new FakeStore();
    const { e } = engine(store);
    const reads = new Map<string, number>();
    const counted = (entry: PickedEntry): PickedEntry => {
      if (entry.kind !== "file") return entry;
      const f = entry.file;
      const read = f.arrayBuffer.bind(f);
      f.arrayBuffer = () => (reads.set(entry.path, (reads.get(entry.path) ?? 0) + 1), read());
      return entry;
    };
    await e.add(
      target,
      "",
      [counted(file("small.txt", 64 * 1024)), counted(file("mid.bin", 2 * MiB))],
      overwrite,
    );
    await e.add(target, "", [file("big.bin", 20 * MiB, "b")], overwrite);
    await until(() => e.stats().active === 0);
    expect(e.stats()).toMatchObject({ done: 3, failed: 0 });
    expect(reads.get("small.txt")).toBe(1);
    const sent = (url: string) => store.puts.filter((p) => p.url.startsWith(url));
    // Above 64 KiB a body from memory costs the page's main thread more than the file streamed by the browser.
    expect(sent("put:small.txt")).toEqual([{ url: "put:small.txt", bytes: 64 * 1024, fromMemory: true }]);
    expect(sent("put:mid.bin").map((p) => p.fromMemory)).toEqual([false]);
    expect(sent("part:").map((p) => p.fromMemory)).toEqual([false, false, false]);
    expect(store.objects.get("small.txt")).toEqual(Buffer.alloc(64 * 1024, "small.txt"));
  });

  it("retries network errors, 5xx and BadDigest; fails clearly on a refusal", async () => {
    const store = new FakeStore();
    let n = 0;
    store.fault = () => {
      n++;
      if (n % 4 === 1) return { status: 0, etag: null, code: null };
      if (n % 4 === 2) return { status: 503, etag: null, code: "ServiceUnavailable" };
      if (n % 4 === 3) return { status: 0, etag: null, code: "Stalled" }; // the transport's watchdog
      return null;
    };
    const { e } = engine(store, { concurrency: 1 });
    await e.add(target, "", [file("a.txt", 5), file("big.bin", 20 * MiB)], overwrite);
    await until(() => e.stats().active === 0);
    expect(e.stats()).toMatchObject({ done: 2, failed: 0 });

    store.fault = (url) =>
      url.includes("denied") ? { status: 403, etag: null, code: "AccessDenied" } : null;
    await e.add(target, "", [file("denied.txt", 5), file("fine.txt", 5)], overwrite);
    await until(() => e.stats().active === 0);
    const failed = e.items.find((i) => i.key === "denied.txt")!;
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("AccessDenied");
    expect(store.puts.filter((p) => p.url.includes("denied"))).toHaveLength(1);
    expect(e.stats()).toMatchObject({ done: 3, failed: 1 });
  });

  it("gives up after the attempts when the store stays down, and a retry later succeeds", async () => {
    const store = new FakeStore();
    store.fault = () => ({ status: 0, etag: null, code: null });
    const { e, settled } = engine(store, { attempts: 3 });
    await e.add(target, "", [file("x.txt", 5), file("y.bin", 20 * MiB)], overwrite);
    await until(() => e.stats().active === 0);
    expect(e.stats()).toMatchObject({ done: 0, failed: 2 });
    expect(e.items.map((i) => i.error?.code)).toEqual(["network", "network"]);
    // A line that stays silent ends the same way, with its own explanation.
    const silent = new FakeStore();
    silent.fault = () => ({ status: 0, etag: null, code: "Stalled" });
    const quiet = engine(silent, { attempts: 2 }).e;
    await quiet.add(target, "", [file("z.txt", 5)], overwrite);
    await until(() => quiet.stats().active === 0);
    expect(quiet.items.map((i) => [i.status, i.error?.code])).toEqual([["failed", "Stalled"]]);
    expect(settled).toHaveLength(1);
    expect(store.uploads.size).toBe(1); // kept: the retry continues it

    store.fault = () => null;
    e.retryFailed();
    await until(() => e.stats().active === 0);
    expect(e.stats()).toMatchObject({ done: 2, failed: 0 });
    expect(store.objects.get("y.bin")?.length).toBe(20 * MiB);
    expect(settled).toHaveLength(2);
  });

  it("cancel aborts the multipart upload and forgets it", async () => {
    const store = new FakeStore();
    const resume = new MemoryResume();
    const { e } = engine(store, { resume, concurrency: 1 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const put = store.put.bind(store);
    store.put = async (...args) => {
      if (store.puts.length >= 1) await gate;
      return put(...args);
    };
    await e.add(target, "", [file("huge.bin", 64 * MiB)], overwrite);
    await until(() => resume.records.size === 1 && store.puts.length >= 1);
    const item = e.items[0]!;
    const cancelled = e.cancel(item);
    release();
    await cancelled;
    await until(() => e.stats().active === 0);
    expect(item.status).toBe("cancelled");
    expect(store.aborted).toHaveLength(1);
    expect(store.uploads.size).toBe(0);
    expect(resume.records.size).toBe(0);
    expect(store.objects.size).toBe(0);
  });

  it("cancelling a planned multipart upload that has not started aborts it too", async () => {
    const store = new FakeStore();
    const resume = new MemoryResume();
    const { e } = engine(store, { resume, concurrency: 1 });
    e.pause();
    await e.add(target, "", [file("a.bin", 20 * MiB), file("b.bin", 20 * MiB)], overwrite);
    e.unpause();
    e.pause();
    await until(() => e.items.every((i) => i.plan !== null));
    await e.cancelAll();
    expect(store.uploads.size).toBe(0);
    expect(resume.records.size).toBe(0);
    expect(e.stats()).toMatchObject({ cancelled: 2, active: 0 });
  });

  it("pauses (nothing is sent) and resumes", async () => {
    const store = new FakeStore();
    const { e } = engine(store, { concurrency: 2 });
    await e.add(
      target,
      "",
      Array.from({ length: 50 }, (_, i) => file(`p${i}`, 100)),
      overwrite,
    );
    e.pause();
    await new Promise((r) => setTimeout(r, 50));
    const sent = store.objects.size;
    await new Promise((r) => setTimeout(r, 50));
    expect(store.objects.size).toBe(sent);
    expect(e.stats().paused).toBe(true);
    e.unpause();
    await until(() => e.stats().active === 0);
    expect(store.objects.size).toBe(50);
  });

  it("resumes an upload of an earlier page, sending only the parts the store does not list", async () => {
    const store = new FakeStore();
    const resume = new MemoryResume();
    const source = file("ds/train.tar", 50 * MiB + 1, "t") as Extract<PickedEntry, { kind: "file" }>;
    const first = engine(store, { resume, concurrency: 1 });
    await first.e.add(target, "", [source], overwrite);
    await until(() => store.puts.length >= 3);
    first.e.pause(); // the page goes away
    await until(() => [...store.uploads.values()][0]!.parts.size >= 3);
    const before = new Set([...[...store.uploads.values()][0]!.parts.keys()]);
    const [record] = await resume.all();
    expect(record).toMatchObject({ key: "ds/train.tar", file: { path: "ds/train.tar", size: 50 * MiB + 1 } });

    store.puts = [];
    const second = engine(store, { resume });
    second.e.resume([{ record: record!, file: source.file }]);
    await until(() => second.e.stats().active === 0);
    expect(second.e.items[0]!.status).toBe("done");
    const resent = store.puts.map((p) => Number(p.url.split(":")[2]));
    expect(resent.filter((n) => before.has(n))).toEqual([]);
    expect(resent.length + before.size).toBe(7);
    expect(store.objects.get("ds/train.tar")?.equals(Buffer.alloc(50 * MiB + 1, "t"))).toBe(true);
    expect(resume.records.size).toBe(0);
  });

  it("starts over when the store no longer has the upload", async () => {
    const store = new FakeStore();
    const source = file("gone.bin", 20 * MiB) as Extract<PickedEntry, { kind: "file" }>;
    const record: ResumeRecord = {
      uploadId: "no-such",
      target,
      key: "gone.bin",
      partSize: 8 * MiB,
      partCount: 3,
      contentType: null,
      file: { name: "gone.bin", size: 20 * MiB, lastModified: 1, path: "gone.bin" },
      startedAt: 0,
    };
    const { e } = engine(store);
    e.resume([{ record, file: source.file }]);
    await until(() => e.stats().active === 0);
    expect(e.items[0]!.status).toBe("done");
    expect(store.objects.get("gone.bin")?.length).toBe(20 * MiB);
  });

  it("asks about existing keys: overwrite, skip or rename, for one or for all", async () => {
    const store = new FakeStore();
    for (const k of ["a.txt", "b.txt", "c.txt", "d.txt", "a (1).txt"])
      store.objects.set(k, Buffer.from("old"));
    const { e } = engine(store);
    const asked: string[] = [];
    const answers = [
      { action: "overwrite" as const, all: false },
      { action: "rename" as const, all: false },
      { action: "skip" as const, all: true },
    ];
    await e.add(
      target,
      "",
      ["a.txt", "b.txt", "c.txt", "d.txt", "new.txt"].map((p) => file(p, 3, "n")),
      async (key, remaining) => {
        asked.push(`${key}:${remaining}`);
        return answers.shift()!;
      },
    );
    await until(() => e.stats().active === 0);
    expect(asked).toEqual(["a.txt:4", "b.txt:3", "c.txt:2"]);
    expect(store.objects.get("a.txt")?.toString()).toBe("nnn");
    expect(store.objects.get("b.txt")?.toString()).toBe("old");
    expect(store.objects.get("b (1).txt")?.toString()).toBe("nnn");
    expect(store.objects.get("c.txt")?.toString()).toBe("old");
    expect(store.objects.get("d.txt")?.toString()).toBe("old");
    expect(store.objects.get("new.txt")?.toString()).toBe("nnn");
    expect(e.stats()).toMatchObject({ files: 3, done: 3 });
  });

  it("skips identical files (one PUT or in parts) and sends only the changed and the new", async () => {
    const store = new FakeStore();
    const { e, settled } = engine(store);
    const first = [
      file("data/same.txt", 100, "s"),
      file("data/changed.txt", 100, "c"),
      file("data/grown.txt", 100, "g"),
      file("data/big.bin", 20 * MiB, "b"),
    ];
    await e.add(target, "", first, async () => null);
    await until(() => e.stats().active === 0);
    expect(store.etags.get("data/big.bin")).toMatch(/^"[0-9a-f]{32}-3"$/);
    const putsBefore = store.puts.length;

    const again = [
      file("data/same.txt", 100, "s"),
      file("data/changed.txt", 100, "C"), // same size, other bytes
      file("data/grown.txt", 101, "g"),
      file("data/big.bin", 20 * MiB, "b"),
      file("data/new.txt", 10, "n"),
    ];
    const asked: string[] = [];
    const batch = await e.add(target, "", again, async (key) => {
      asked.push(key);
      return { action: "identical", all: true };
    });
    await until(() => e.stats().active === 0);
    expect(asked).toEqual(["data/same.txt"]); // answered once for all
    expect(batch).toMatchObject({ identical: 2, skipped: 0, replacing: 2, total: 3 });
    const sent = store.puts.slice(putsBefore).map((p) => p.url);
    expect(sent.sort()).toEqual(["put:data/changed.txt", "put:data/grown.txt", "put:data/new.txt"]);
    expect(store.objects.get("data/changed.txt")?.toString()).toBe("C".repeat(100));
    expect(settled.at(-1)).toBe(batch);
  });

  it("tells an object in parts from the same file by its multipart ETag", async () => {
    const { partSizesFor, sameContent } = await import("@/lib/upload/drop");
    const store = new FakeStore();
    const bytes = Buffer.alloc(17 * MiB, "z");
    const f = new File([bytes], "w.bin");
    // As another tool would have uploaded it: parts of 8 MiB (3 parts).
    const parts = [0, 1, 2].map((i) => bytes.subarray(i * 8 * MiB, (i + 1) * 8 * MiB));
    const etag = `"${createHash("md5")
      .update(Buffer.concat(parts.map((p) => createHash("md5").update(p).digest())))
      .digest("hex")}-3"`;
    expect(partSizesFor(bytes.length, 3)).toContain(8 * MiB);
    expect(await sameContent(store, f, { size: bytes.length, etag })).toBe(true);
    const other = Buffer.from(bytes);
    other[17 * MiB - 1] = 0;
    expect(await sameContent(store, new File([other], "w.bin"), { size: bytes.length, etag })).toBe(false);
    expect(await sameContent(store, f, { size: bytes.length, etag: null })).toBe(false);
  });

  it("a closed question queues nothing of the drop", async () => {
    const store = new FakeStore();
    store.objects.set("a.txt", Buffer.from("old"));
    const { e } = engine(store);
    await e.add(target, "", [file("a.txt", 3), file("b.txt", 3)], async () => null);
    expect(e.stats().files).toBe(0);
    expect(store.objects.size).toBe(1);
  });

  it("a bucket that refuses the page (CORS) fails every waiting file once, and retry works after the fix", async () => {
    const store = new FakeStore();
    store.planError = new ApiError(409, "conflict", "no CORS", { storeCode: "CorsNotAllowed" });
    const { e } = engine(store);
    await e.add(
      target,
      "",
      Array.from({ length: 250 }, (_, i) => file(`f${i}`, 1)),
      overwrite,
    );
    await until(() => e.stats().active === 0);
    expect(e.stats().failed).toBe(250);
    expect(e.items[0]!.error?.code).toBe("CorsNotAllowed");
    store.planError = null;
    e.retryFailed();
    await until(() => e.stats().active === 0);
    expect(e.stats()).toMatchObject({ done: 250, failed: 0 });
  });

  it("names renamed copies like a file manager", () => {
    expect(renamed("dir/photo.jpg", 2)).toBe("dir/photo (2).jpg");
    expect(renamed("README", 1)).toBe("README (1)");
    expect(renamed("a/.env", 1)).toBe("a/.env (1)");
  });

  it("part sizes fit every file in 10,000 parts of at least 8 MiB", () => {
    expect(partSizeFor(20 * 1024 ** 3)).toBe(8 * MiB);
    expect(partSizeFor(100 * 1024 ** 3)).toBe(11 * MiB);
    const huge = 48.8 * 1024 ** 4;
    expect(partCountFor(huge, partSizeFor(huge))).toBeLessThanOrEqual(10_000);
  });
});
