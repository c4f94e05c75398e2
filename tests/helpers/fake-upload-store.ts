import { createHash } from "node:crypto";
import { ApiError } from "@/lib/api-client";
import { UploadEngine } from "@/lib/upload/engine";
import type { EngineOptions } from "@/lib/upload/engine-model";
import type { PickedEntry, PlanHints, PutResult, UploadTarget, UploadTransport } from "@/lib/upload/types";
import { MULTIPART_THRESHOLD, partCountFor, partSizeFor, type UploadPlan } from "@/lib/validation/uploads";

// An in-memory store behind the upload engine's transport, for unit tests of the engine's logic (the real
// store is in the integration and e2e tests). With `forms`, small files are planned as POST forms.

export const MiB = 1024 * 1024;
export const target: UploadTarget = { connectionId: "c1", bucket: "data" };
export const md5 = (b: ArrayBuffer | Uint8Array) =>
  createHash("md5")
    .update(b instanceof Uint8Array ? b : new Uint8Array(b))
    .digest("base64");
/** What a request carries; a Blob is read through a slice, so a test counting the page's reads of a file
 * (its arrayBuffer) does not count the store's. */
export const bytesOf = async (b: Blob | Uint8Array) =>
  b instanceof Uint8Array ? b : new Uint8Array(await b.slice(0, b.size).arrayBuffer());

export class FakeStore implements UploadTransport {
  objects = new Map<string, Buffer>();
  uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  puts: { url: string; bytes: number; fromMemory: boolean }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  aborted: string[] = [];
  /** Decides the fate of each PUT before it lands; return a status to fail it. */
  fault: (url: string, n: number) => PutResult | null = () => null;
  planError: ApiError | null = null;
  /** How long the store takes to answer a PUT, and a POST (the link and the store's work in one). */
  putDelayMs = 1;
  postDelayMs = 1;
  private seq = 0;

  /** Plan hints the engine sent, one per plan request. */
  hints: (PlanHints | undefined)[] = [];
  /** Set to plan small files as POST forms (when the engine asks for them). */
  forms = false;
  posts: { key: string; bytes: number; fromMemory: boolean }[] = [];
  /** Decides the fate of each POST; return a result to answer with it instead of storing. */
  postFault: (key: string, n: number) => PutResult | null = () => null;

  async plan(
    _: UploadTarget,
    files: { key: string; size: number }[],
    hints?: PlanHints,
  ): Promise<UploadPlan[]> {
    if (this.planError) throw this.planError;
    this.hints.push(hints);
    return files.map((f) => {
      if (f.size <= MULTIPART_THRESHOLD && this.forms && hints?.form) {
        return {
          kind: "form",
          key: f.key,
          url: "post:",
          fields: { key: f.key },
          expiresAt: new Date(Date.now() + 900e3).toISOString(),
        };
      }
      if (f.size <= MULTIPART_THRESHOLD) {
        return {
          kind: "single",
          key: f.key,
          url: `put:${f.key}`,
          headers: {},
          expiresAt: new Date(Date.now() + 3600e3).toISOString(),
        };
      }
      const uploadId = `u${++this.seq}`;
      this.uploads.set(uploadId, { key: f.key, parts: new Map() });
      const partSize = partSizeFor(f.size);
      return { kind: "multipart", key: f.key, uploadId, partSize, partCount: partCountFor(f.size, partSize) };
    });
  }
  /** ETags as S3 makes them: the MD5 of a one-PUT object, the MD5 of the parts' MD5s + "-N" otherwise. */
  etags = new Map<string, string>();
  async conflicts(_: UploadTarget, keys: string[]) {
    return keys
      .filter((k) => this.objects.has(k))
      .map((k) => ({ key: k, size: this.objects.get(k)!.length, etag: this.etags.get(k) ?? null }));
  }
  async signParts(_: UploadTarget, uploadId: string, _key: string, partNumbers: number[]) {
    return {
      urls: Object.fromEntries(partNumbers.map((n) => [String(n), `part:${uploadId}:${n}`])),
      expiresAt: new Date(Date.now() + 3600e3).toISOString(),
    };
  }
  async listParts(_: UploadTarget, uploadId: string) {
    const u = this.uploads.get(uploadId);
    if (!u) throw new ApiError(404, "not_found", "gone", { storeCode: "NoSuchUpload" });
    return [...u.parts].map(([partNumber, b]) => ({ partNumber, etag: `"${partNumber}"`, size: b.length }));
  }
  async complete(
    _: UploadTarget,
    uploadId: string,
    key: string,
    parts: { partNumber: number; etag: string }[],
  ) {
    const u = this.uploads.get(uploadId)!;
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const bufs = sorted.map((p) => u.parts.get(p.partNumber)!);
    this.objects.set(key, Buffer.concat(bufs));
    const digests = Buffer.concat(bufs.map((b) => createHash("md5").update(b).digest()));
    this.etags.set(key, `"${createHash("md5").update(digests).digest("hex")}-${bufs.length}"`);
    this.uploads.delete(uploadId);
  }
  async abort(_: UploadTarget, uploadId: string) {
    this.aborted.push(uploadId);
    this.uploads.delete(uploadId);
  }
  async put(
    url: string,
    sent: Blob | Uint8Array<ArrayBuffer>,
    headers: Record<string, string>,
    onProgress: (n: number) => void,
    signal: AbortSignal,
  ) {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const body = await bytesOf(sent);
      await new Promise((r) => setTimeout(r, this.putDelayMs));
      if (signal.aborted) return { status: 0, etag: null, code: null };
      this.puts.push({ url, bytes: body.byteLength, fromMemory: sent instanceof Uint8Array });
      const fault = this.fault(url, this.puts.length);
      if (fault) return fault;
      if (headers["content-md5"] !== md5(body)) return { status: 400, etag: null, code: "BadDigest" };
      onProgress(body.byteLength);
      const buf = Buffer.from(body);
      const [kind, a, b] = url.split(":");
      if (kind === "put") {
        this.objects.set(url.slice(4), buf);
        this.etags.set(url.slice(4), `"${createHash("md5").update(buf).digest("hex")}"`);
        return { status: 200, etag: `"x"`, code: null };
      }
      this.uploads.get(a!)!.parts.set(Number(b), buf);
      return { status: 200, etag: `"${b}"`, code: null };
    } finally {
      this.inFlight--;
    }
  }
  async md5(b: Blob | Uint8Array<ArrayBuffer>) {
    return md5(await bytesOf(b));
  }
}

/** A store whose transport reads and hashes files itself (the page's worker), recording what it was asked. */
export function withDigest<T extends FakeStore>(
  store: T,
): T & { digests: { size: number; keep: boolean }[] } {
  const digests: { size: number; keep: boolean }[] = [];
  return Object.assign(store, {
    digests,
    async digest(body: Blob, keep: boolean) {
      digests.push({ size: body.size, keep });
      const bytes = new Uint8Array(await body.slice(0, body.size).arrayBuffer());
      return { md5: md5(bytes), bytes: keep ? bytes : null };
    },
  });
}

/** The same store with POST forms: the engine sees `postForm` and asks for forms. */
export class FakeFormStore extends FakeStore {
  override forms = true;
  async postForm(
    _url: string,
    fields: Record<string, string>,
    sent: Blob | Uint8Array<ArrayBuffer>,
    signal: AbortSignal,
  ): Promise<PutResult> {
    const body = await bytesOf(sent);
    await new Promise((r) => setTimeout(r, this.postDelayMs));
    if (signal.aborted) return { status: 0, etag: null, code: null };
    const key = fields.key!;
    this.posts.push({ key, bytes: body.byteLength, fromMemory: sent instanceof Uint8Array });
    const fault = this.postFault(key, this.posts.length);
    if (fault) return fault;
    if (fields["Content-MD5"] !== md5(body)) return { status: 400, etag: null, code: "BadDigest" };
    const buf = Buffer.from(body);
    this.objects.set(key, buf);
    const etag = `"${createHash("md5").update(buf).digest("hex")}"`;
    this.etags.set(key, etag);
    return { status: 201, etag, code: null };
  }
}

/** `n` picked files of `size` bytes under `dir`/, each filled with its own name. */
export function files(n: number, size = 1000, dir = "d"): PickedEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const bytes = Buffer.alloc(size, `f${i}`);
    return { kind: "file", path: `${dir}/f${i}.bin`, file: new File([bytes], `f${i}.bin`) };
  });
}

/** Uploads `entries` under in/ through a fresh engine on `store` and waits until nothing is active. */
export async function runEngine(
  store: FakeStore,
  entries: PickedEntry[],
  options: Partial<EngineOptions> = {},
  timeoutMs = 20_000,
) {
  const e = new UploadEngine({ transport: store, backoff: () => 0, ...options });
  await e.add(target, "in/", entries, async () => ({ action: "overwrite", all: true }));
  const end = Date.now() + timeoutMs;
  while (e.stats().active > 0) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
  return e;
}
