import { AdaptiveLimit, LIMITS, protocolOf, REQUEST_WEIGHT, WINDOW_MS } from "@/lib/upload/adaptive";
import { FORM_BYTES_MAX, PUT_BYTES_MAX } from "@/lib/upload/engine-model";
import { etagMatches, MISMATCHES_BEFORE_PUT } from "@/lib/upload/engine-single";
import { formBody, newBoundary } from "@/lib/upload/form-body";
import { MIN_PART_SIZE, partSizeFor } from "@/lib/validation/uploads";
import {
  FakeFormStore,
  FakeStore,
  files,
  md5,
  MiB,
  runEngine,
  withDigest,
} from "../helpers/fake-upload-store";

// Small files as POST forms (one round trip, no preflight), the fall back to PUT when a store refuses them,
// the measured number of requests in flight, and parts sized for the link. The real store's side of forms
// is in tests/integration/post-uploads.test.ts.

describe("the form body the page writes", () => {
  const fields = {
    key: '数据/a "q".txt',
    policy: "eyJ4Ijoi",
    "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==",
    note: "a\nb",
  };
  const parse = async (body: Blob | Uint8Array<ArrayBuffer>, contentType: string) =>
    new Response(body, { headers: { "content-type": contentType } }).formData();

  it("parses back as the same fields and the same file bytes, from memory or from a Blob", async () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from("\r\n--"), Buffer.alloc(70_000, 0xa7)]));
    for (const file of [bytes, new Blob([bytes])]) {
      const { body, contentType } = formBody(fields, file);
      // Bytes in memory go as they are: no Blob for Chromium's blob registry.
      expect(body instanceof Uint8Array).toBe(file instanceof Uint8Array);
      const form = await parse(body, contentType);
      expect(form.get("key")).toBe(fields.key);
      expect(form.get("policy")).toBe(fields.policy);
      expect(form.get("Content-MD5")).toBe(fields["Content-MD5"]);
      expect(form.get("note")).toBe("a\r\nb");
      const sent = form.get("file") as File;
      expect(Buffer.from(await sent.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
      // The fields come before the file, as S3 requires.
      expect([...form.keys()].at(-1)).toBe("file");
    }
  });

  it("keeps the request a CORS simple one: a safelisted content type under 128 bytes", () => {
    const { contentType } = formBody({}, new Uint8Array(0));
    expect(contentType).toMatch(/^multipart\/form-data; boundary=[-0-9a-z]+$/);
    expect(contentType.length).toBeLessThanOrEqual(128);
    expect(newBoundary()).not.toBe(newBoundary());
  });
});

describe("small files as POST forms", () => {
  it("sends every small file as one form when the transport can, with its bytes and Content-MD5", async () => {
    const store = new FakeFormStore();
    const e = await runEngine(store, files(30));
    expect(e.stats().done).toBe(30);
    expect(store.posts).toHaveLength(30);
    expect(store.puts).toHaveLength(0);
    expect(store.hints.every((h) => h?.form === true)).toBe(true);
    expect(store.objects.get("in/d/f7.bin")).toEqual(Buffer.alloc(1000, "f7"));
  });

  it(`frames the bytes read for the hash up to ${FORM_BYTES_MAX / 1024} KiB, the file itself above`, async () => {
    const store = withDigest(new FakeFormStore());
    const e = await runEngine(store, [...files(2, FORM_BYTES_MAX), ...files(2, FORM_BYTES_MAX + 1, "big")]);
    expect(e.stats()).toMatchObject({ done: 4, failed: 0 });
    expect(store.posts.map((p) => [p.bytes, p.fromMemory])).toEqual([
      [FORM_BYTES_MAX, true],
      [FORM_BYTES_MAX, true],
      [FORM_BYTES_MAX + 1, false],
      [FORM_BYTES_MAX + 1, false],
    ]);
    // One read per file, by the transport (the page's worker): bytes handed back only where a form sends them.
    expect(store.digests.map((d) => d.keep)).toEqual([true, true, false, false]);
    expect(store.objects.get("in/big/f1.bin")).toEqual(Buffer.alloc(FORM_BYTES_MAX + 1, "f1"));
    expect(store.objects.get("in/d/f1.bin")).toEqual(Buffer.alloc(FORM_BYTES_MAX, "f1"));
  });

  it("without forms, keeps the bytes read only for PUTs of up to 64 KiB; above, a PUT sends the file", async () => {
    const store = withDigest(new FakeStore());
    await runEngine(store, [...files(2, PUT_BYTES_MAX), ...files(2, PUT_BYTES_MAX + 1, "big")]);
    expect(store.digests.map((d) => d.keep)).toEqual([true, true, false, false]);
    expect(store.puts.map((p) => [p.bytes, p.fromMemory])).toEqual([
      [PUT_BYTES_MAX, true],
      [PUT_BYTES_MAX, true],
      [PUT_BYTES_MAX + 1, false],
      [PUT_BYTES_MAX + 1, false],
    ]);
  });

  it("asks for PUTs when the transport has no forms (upload links, older pages)", async () => {
    const store = new FakeStore();
    await runEngine(store, files(5));
    expect(store.hints.every((h) => h?.form === false)).toBe(true);
    expect(store.puts).toHaveLength(5);
  });

  it.each([403, 405, 501, 0])(
    "falls back to PUT by itself when the store answers the first forms with %s, losing nothing",
    async (status) => {
      const store = new FakeFormStore();
      store.postFault = () => ({ status, etag: null, code: status === 403 ? "AccessDenied" : null });
      const e = await runEngine(store, files(250));
      expect(e.stats()).toMatchObject({ done: 250, failed: 0 });
      for (let i = 0; i < 250; i++)
        expect(store.objects.get(`in/d/f${i}.bin`)).toEqual(Buffer.alloc(1000, `f${i}`));
      // Only the forms already in flight were tried; the queue was signed again as PUTs.
      expect(store.posts.length).toBeLessThanOrEqual(LIMITS.unknown);
      expect(store.hints.at(-1)?.form).toBe(false);
    },
  );

  it("once forms work, a later refusal is an error of that file, not a reason to change", async () => {
    const store = new FakeFormStore();
    store.postFault = (key, n) =>
      n > 20 && key.endsWith("f25.bin") ? { status: 403, etag: null, code: "AccessDenied" } : null;
    const e = await runEngine(store, files(40));
    expect(e.stats()).toMatchObject({ done: 39, failed: 1 });
    expect(e.items.find((it) => it.key.endsWith("f25.bin"))?.error?.code).toBe("AccessDenied");
    expect(store.puts).toHaveLength(0);
  });

  it("sends a file again as a PUT when the form's ETag is not the file's MD5", async () => {
    const store = new FakeFormStore();
    store.postFault = (key) =>
      key.endsWith("f3.bin") ? { status: 201, etag: '"00000000000000000000000000000000"', code: null } : null;
    const e = await runEngine(store, files(10));
    expect(e.stats()).toMatchObject({ done: 10, failed: 0 });
    expect(store.puts.map((p) => p.url)).toEqual(["put:in/d/f3.bin"]);
    expect(store.objects.get("in/d/f3.bin")).toEqual(Buffer.alloc(1000, "f3"));
  });

  it(`gives up forms for a bucket after ${MISMATCHES_BEFORE_PUT} ETags that are not MD5s (encrypted buckets)`, async () => {
    const store = new FakeFormStore();
    store.postFault = () => ({ status: 201, etag: '"ffffffffffffffffffffffffffffffff"', code: null });
    const e = await runEngine(store, files(60));
    expect(e.stats()).toMatchObject({ done: 60, failed: 0 });
    expect(store.puts).toHaveLength(60);
    expect(store.hints.at(-1)?.form).toBe(false);
  });

  it("compares ETags with or without quotes, and accepts an answer with none", () => {
    const m = md5(Buffer.from("hello"));
    expect(etagMatches('"5d41402abc4b2a76b9719d911017c592"', m)).toBe(true);
    expect(etagMatches("5D41402ABC4B2A76B9719D911017C592", m)).toBe(true);
    expect(etagMatches('"5d41402abc4b2a76b9719d911017c593"', m)).toBe(false);
    expect(etagMatches(null, m)).toBe(true);
  });
});

describe("requests in flight, measured", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };
  /** One window of `limit` requests finishing, with throughput `perRequest` bytes each and the slots full. */
  const window = (a: AdaptiveLimit, c: ReturnType<typeof clock>, bytesPerSecond: number) => {
    a.inFlight(a.limit);
    c.advance(WINDOW_MS);
    const n = Math.max(1, a.limit);
    for (let i = 0; i < n; i++) a.done(Math.max(0, bytesPerSecond / n - REQUEST_WEIGHT));
  };

  it("widens while throughput grows with it, and stops where it does not", () => {
    const c = clock();
    const a = new AdaptiveLimit({ initial: 6 }, c.now);
    // A link where each request moves 1 MB/s, up to 10 MB/s in all.
    for (let i = 0; i < 20; i++) window(a, c, Math.min(10, a.limit) * 1e6);
    expect(a.limit).toBeGreaterThanOrEqual(10);
    expect(a.limit).toBeLessThanOrEqual(12);
  });

  it("never passes the protocol's ceiling: six on HTTP/1.1, more on HTTP/2", () => {
    const c = clock();
    const h1 = new AdaptiveLimit({ initial: 6 }, c.now);
    h1.protocol(protocolOf("http/1.1"));
    for (let i = 0; i < 20; i++) window(h1, c, h1.limit * 1e6);
    expect(h1.limit).toBe(6);
    const h2 = new AdaptiveLimit({ initial: 6 }, c.now);
    h2.protocol(protocolOf("h2"));
    // HTTP/1.1's six say nothing about an HTTP/2 link, where a request costs a stream: it starts at the top.
    expect(h2.limit).toBe(LIMITS.multiplexed);
    for (let i = 0; i < 40; i++) window(h2, c, h2.limit * 1e6);
    expect(h2.limit).toBe(LIMITS.multiplexed);
    // Failures narrow it; where each request adds throughput it grows back to the top, and no further.
    h2.failed();
    h2.failed();
    expect(h2.limit).toBeLessThan(16);
    for (let i = 0; i < 40; i++) window(h2, c, h2.limit * 1e6);
    expect(h2.limit).toBeGreaterThanOrEqual(24);
    expect(h2.limit).toBeLessThanOrEqual(LIMITS.multiplexed);
    expect(protocolOf("")).toBe("unknown");
  });

  it("narrows on failures, down to its floor, and does not widen when the slots were not full", () => {
    const c = clock();
    const a = new AdaptiveLimit({ initial: 12, max: 16 }, c.now);
    a.failed();
    expect(a.limit).toBe(8);
    for (let i = 0; i < 10; i++) a.failed();
    expect(a.limit).toBe(2);
    const idle = new AdaptiveLimit({ initial: 6 }, c.now);
    idle.inFlight(1);
    for (let i = 0; i < 10; i++) {
      c.advance(WINDOW_MS);
      for (let j = 0; j < 6; j++) idle.done(1e6 * (i + 1));
    }
    expect(idle.limit).toBe(6);
  });

  it("keeps a fixed number when the options fix it", () => {
    const c = clock();
    const a = new AdaptiveLimit({ initial: 3, fixed: true }, c.now);
    a.protocol("multiplexed");
    for (let i = 0; i < 10; i++) window(a, c, a.limit * 1e6 * (i + 1));
    a.failed();
    expect(a.limit).toBe(3);
  });
});

describe("part sizes for the link", () => {
  it("keeps 8 MiB parts on a slow link or without a measurement", () => {
    expect(partSizeFor(1024 * MiB)).toBe(MIN_PART_SIZE);
    expect(partSizeFor(1024 * MiB, 2 * MiB)).toBe(MIN_PART_SIZE);
  });

  it("grows parts in powers of two so one takes about two seconds, up to 64 MiB and a quarter of the file", () => {
    expect(partSizeFor(1024 * MiB, 6 * MiB)).toBe(16 * MiB);
    expect(partSizeFor(1024 * MiB, 100 * MiB)).toBe(64 * MiB);
    expect(partSizeFor(100 * MiB, 100 * MiB)).toBe(16 * MiB);
    // The 10,000-part rule still wins for huge files.
    expect(partSizeFor(2000 * 1024 * MiB, 100 * MiB)).toBe(205 * MiB);
  });
});
