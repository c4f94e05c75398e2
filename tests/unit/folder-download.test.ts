import { FolderDownload, type Destination, type RemoteFile } from "@/lib/download/manager";

// The folder download's scheduling with a folder in memory and a fake store: same-size files skipped, a
// pause that starts interrupted files again, retries of network errors, fresh signatures for refused ones,
// archived files explained, cancel.

const messages = { archived: "archived", http: (s: number) => `HTTP ${s}`, network: "network" };

function memoryFolder(initial: Record<string, number> = {}) {
  const files = new Map<string, Uint8Array>(
    Object.entries(initial).map(([k, n]) => [k, new Uint8Array(n)] as const),
  );
  const dest: Destination = {
    sizeOf: async (p) => files.get(p.join("/"))?.length ?? null,
    create: async (p) => {
      const chunks: Uint8Array[] = [];
      return new WritableStream<Uint8Array>({
        write: (c) => void chunks.push(c),
        close: () => void files.set(p.join("/"), Buffer.concat(chunks)),
      });
    },
  };
  return { dest, files };
}

const remote = (key: string, size: number, extra: Partial<RemoteFile> = {}): RemoteFile => ({
  key,
  size,
  archived: false,
  url: `https://store/${key}?sig=1`,
  ...extra,
});
const source = (files: RemoteFile[], resign = jest.fn(async (k: string) => `https://store/${k}?sig=2`)) => ({
  async *pages() {
    yield files;
  },
  resign,
});
const body = (n: number) => new Response(new Uint8Array(n).fill(7));

describe("folder download", () => {
  it("writes each file under its path below the base, and skips files already there with the same size", async () => {
    const { dest, files } = memoryFolder({ "b.bin": 20, "sub/c.bin": 5 });
    const fetched: string[] = [];
    const d = new FolderDownload(
      "set/",
      source([remote("set/a.bin", 10), remote("set/b.bin", 20), remote("set/sub/c.bin", 30)]),
      dest,
      {
        base: "set/",
        messages,
        fetchFile: async (url) => (fetched.push(url), body(Number(url.includes("a.bin") ? 10 : 30))),
      },
    );
    d.start();
    await d.settled;
    const s = d.snapshot();
    expect([s.status, s.files, s.done, s.skipped, s.bytesDone, s.bytesTotal]).toEqual([
      "done",
      3,
      2,
      1,
      60,
      60,
    ]);
    expect(fetched.map((u) => u.split("?")[0])).toEqual([
      "https://store/set/a.bin",
      "https://store/set/sub/c.bin",
    ]);
    expect(files.get("sub/c.bin")!.length).toBe(30);
  });

  it("starts interrupted files again after a pause, and retries a network error", async () => {
    const { dest, files } = memoryFolder();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const d = new FolderDownload("x", source([remote("a", 4), remote("b", 4)]), dest, {
      base: "",
      messages,
      concurrency: 1,
      fetchFile: async (_url, signal) => {
        calls++;
        if (calls === 1) {
          await new Promise((_, reject) =>
            signal.addEventListener("abort", () => reject(new Error("aborted"))),
          );
        }
        if (calls === 2) throw new TypeError("Failed to fetch");
        await gate;
        return body(4);
      },
    });
    d.start();
    await new Promise((r) => setTimeout(r, 10));
    d.pause();
    expect(d.snapshot().status).toBe("paused");
    d.resume();
    release();
    await d.settled;
    expect(d.snapshot()).toMatchObject({ status: "done", done: 2, failed: [] });
    expect([...files.keys()].sort()).toEqual(["a", "b"]);
    expect(calls).toBe(4);
  });

  it("signs a refused URL again once, and explains an archived file instead of a status code", async () => {
    const { dest } = memoryFolder();
    const resign = jest.fn(async (k: string) => `https://store/${k}?sig=2`);
    const d = new FolderDownload(
      "x",
      source([remote("old", 3), remote("cold", 3, { archived: true }), remote("gone", 3)], resign),
      dest,
      {
        base: "",
        messages,
        fetchFile: async (url) =>
          url.includes("old?sig=2")
            ? body(3)
            : new Response("", { status: url.includes("gone") ? 404 : 403 }),
      },
    );
    d.start();
    await d.settled;
    expect(resign).toHaveBeenCalledWith("old");
    expect(d.snapshot().failed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "cold", message: "archived" },
      { key: "gone", message: "HTTP 404" },
    ]);
    expect(d.snapshot().done).toBe(1);
  });

  it("stops everything on cancel", async () => {
    const { dest, files } = memoryFolder();
    const d = new FolderDownload("x", source([remote("a", 3), remote("b", 3)]), dest, {
      base: "",
      messages,
      fetchFile: (_url, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    d.start();
    await new Promise((r) => setTimeout(r, 10));
    d.cancel();
    await d.settled;
    expect(d.snapshot().status).toBe("cancelled");
    expect(files.size).toBe(0);
  });
});
