import { ApiError } from "@/lib/api-client";
import type { UploadPlan } from "@/lib/validation/uploads";
import { contentTypeOf, keyFor, renamed } from "./keys";
import type {
  ConflictAction,
  ConflictResolver,
  PickedEntry,
  PutResult,
  ResumeRecord,
  ResumeStore,
  UploadTarget,
  UploadTransport,
} from "./types";

// The upload engine. Everything a drop of one huge file or of 50,000 small ones needs, under one budget
// of requests to the store:
// - small files: one presigned PUT each, planned (signed) by the server a hundred at a time, just ahead of
//   use so the URLs are fresh; a file up to 1 MiB is read once, and the bytes hashed are the bytes sent;
// - large files: multipart, several parts in flight, each read from disk only when it is sent (memory stays
//   at budget × part size, whatever the file size);
// - Content-MD5 on every PUT, so the store refuses bytes changed on the way;
// - each request retried with backoff on network errors, 5xx, 408/429 and BadDigest;
// - multipart uploads remembered (ResumeStore) so a reload can resume them, sending only the parts the
//   store does not list.
// Nothing here renders: the page subscribes and reads a snapshot a few times a second.

export type ItemStatus = "waiting" | "uploading" | "done" | "failed" | "skipped" | "cancelled";
const FINAL: ReadonlySet<ItemStatus> = new Set(["done", "failed", "skipped", "cancelled"]);

export interface ItemError {
  /** The store's or our API's code (CorsNotAllowed, BadDigest, network, …); the page translates it. */
  code: string;
  message: string;
}

interface MultiState {
  uploadId: string;
  partSize: number;
  partCount: number;
  etags: Map<number, string>;
  todo: number[];
  urls: Map<number, { url: string; expiresAt: number }>;
  running: Map<number, { loaded: number; ctl: AbortController }>;
  /** Parts listed from the store (always true for an upload started in this page). */
  synced: boolean;
  busy: boolean;
  signing: Promise<void> | null;
  /** Content-MD5 of parts hashed ahead of sending. */
  md5s: Map<number, Promise<string>>;
}

/** A file hashed ahead of its turn, with what to send: its bytes (up to READ_ONCE_MAX) or the file itself. */
interface Prepared {
  md5: string;
  body: Blob | Uint8Array<ArrayBuffer>;
}

export interface Batch {
  readonly id: number;
  readonly target: UploadTarget;
  readonly prefix: string;
  total: number;
  settled: number;
}

export interface UploadItem {
  readonly id: number;
  readonly batch: Batch;
  key: string;
  readonly file: File | null;
  readonly path: string;
  readonly size: number;
  readonly contentType: string | undefined;
  status: ItemStatus;
  /** Bytes the store has confirmed. */
  sent: number;
  error: ItemError | null;
  resumed: boolean;
  plan: UploadPlan | null;
  multi: MultiState | null;
  single: { loaded: number; ctl: AbortController } | null;
  prepared: Promise<Prepared> | null;
}

export interface EngineStats {
  files: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  active: number;
  totalBytes: number;
  sentBytes: number;
  /** Bytes per second, smoothed over the last seconds. */
  speed: number;
  /** Seconds left at the current speed; null when unknown. */
  eta: number | null;
  paused: boolean;
  /** Files are being listed or checked against the bucket before they are queued. */
  preparing: number;
}

export interface EngineOptions {
  transport: UploadTransport;
  resume?: ResumeStore;
  /** Requests to the store in flight at once (parts and small files together). */
  concurrency?: number;
  /** Attempts per request before the file is marked failed. */
  attempts?: number;
  /** Delay before retry n (1-based), in ms. */
  backoff?: (attempt: number) => number;
  /** Called with each drop whose files have all finished, to refresh the listing once. */
  onBatchSettled?: (batch: Batch) => void;
}

const PLAN_AHEAD = 200;
/** Files and parts hashed ahead of the uploads, so a free slot starts sending at once. */
const HASH_AHEAD = 12;
/**
 * Files up to this size are read into memory once, hashed and sent from those bytes; larger bodies are sent
 * as Blobs, which Chromium streams from disk (sending 8 MiB parts from memory was measured slower: the
 * copy into the request moves to the page's process and costs more there than the second read).
 */
const READ_ONCE_MAX = 1024 * 1024;

const SIGN_AHEAD = 20;
const URL_MARGIN_MS = 60_000;

const defaultBackoff = (attempt: number) =>
  Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A request worth repeating: the network, the store being busy or broken, or bytes damaged on the way. */
export function retryable(r: { status: number; code: string | null }): boolean {
  return r.status === 0 || r.status >= 500 || r.status === 408 || r.status === 429 || r.code === "BadDigest";
}

class Cancelled extends Error {}

class FileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function putFailure(r: PutResult): FileError {
  const code = r.code ?? (r.status === 0 ? "network" : `HTTP ${r.status}`);
  return new FileError(code, r.status === 0 ? "network" : `${code} (HTTP ${r.status})`);
}

function apiFailure(err: unknown): FileError {
  if (err instanceof FileError) return err;
  if (err instanceof ApiError) {
    const storeCode = typeof err.details?.storeCode === "string" ? err.details.storeCode : null;
    return new FileError(storeCode ?? err.code, err.message);
  }
  return new FileError("unknown", err instanceof Error ? err.message : String(err));
}

const apiRetryable = (err: unknown) =>
  err instanceof ApiError && (err.status === 0 || err.status === 429 || err.status >= 500);

export class UploadEngine {
  private readonly t: UploadTransport;
  private readonly resumeStore: ResumeStore | undefined;
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly backoff: (attempt: number) => number;
  private readonly onBatchSettled: ((b: Batch) => void) | undefined;

  readonly items: UploadItem[] = [];
  private queue: UploadItem[] = [];
  private head = 0;
  private readonly again: UploadItem[] = [];
  private readonly active = new Set<UploadItem>();
  private running = 0;
  private planning = false;
  private paused = false;
  private nextId = 1;
  private preparing = 0;
  private readonly counts = { done: 0, failed: 0, skipped: 0, cancelled: 0 };
  private totalBytes = 0;
  private sentBytes = 0;
  private readonly inflight = new Set<{ loaded: number }>();
  private speed = 0;
  private lastSample: { at: number; bytes: number } | null = null;
  private sampler: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped on every change the page may show. */
  version = 0;

  constructor(o: EngineOptions) {
    this.t = o.transport;
    this.resumeStore = o.resume;
    this.concurrency = o.concurrency ?? 6;
    this.attempts = o.attempts ?? 6;
    this.backoff = o.backoff ?? defaultBackoff;
    this.onBatchSettled = o.onBatchSettled;
  }

  // ---- what the page calls ----

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  stats(): EngineStats {
    const sent = this.sentBytes + [...this.inflight].reduce((s, r) => s + r.loaded, 0);
    const left = this.totalBytes - sent;
    const unfinished =
      this.items.length - this.counts.done - this.counts.failed - this.counts.skipped - this.counts.cancelled;
    return {
      files: this.items.length,
      ...this.counts,
      active: unfinished,
      totalBytes: this.totalBytes,
      sentBytes: Math.min(sent, this.totalBytes),
      speed: this.speed,
      eta: this.speed > 0 && unfinished > 0 ? left / this.speed : null,
      paused: this.paused,
      preparing: this.preparing,
    };
  }

  /**
   * Queues a drop: keys under `prefix`, existing keys resolved with `resolve` (overwrite, skip, rename),
   * empty folders kept as folder markers. Returns the batch once its files are queued.
   */
  async add(
    target: UploadTarget,
    prefix: string,
    entries: PickedEntry[],
    resolve: ConflictResolver,
  ): Promise<Batch> {
    this.preparing++;
    this.changed();
    try {
      const batch: Batch = { id: this.nextId++, target, prefix, total: 0, settled: 0 };
      const wanted = entries.map((e) => ({ entry: e, key: keyFor(prefix, e) }));
      const fileKeys = wanted.filter((w) => w.entry.kind === "file").map((w) => w.key);
      const existing = new Set<string>();
      for (let i = 0; i < fileKeys.length; i += 1000) {
        for (const k of await this.t.conflicts(target, fileKeys.slice(i, i + 1000))) existing.add(k);
      }
      const taken = new Set(wanted.map((w) => w.key));
      let always: ConflictAction | null = null;
      let left = wanted.filter((w) => w.entry.kind === "file" && existing.has(w.key)).length;
      const items: UploadItem[] = [];
      for (const w of wanted) {
        if (w.entry.kind === "file" && existing.has(w.key)) {
          let action: ConflictAction | null = always;
          if (!action) {
            const answer = await resolve(w.key, left);
            if (!answer) return batch; // the user closed the question: nothing of this drop is queued
            action = answer.action;
            if (answer.all) always = action;
          }
          left--;
          if (action === "skip") continue;
          if (action === "rename") w.key = await this.freeName(target, w.key, taken);
        }
        items.push(this.newItem(batch, w.entry, w.key));
      }
      batch.total = items.length;
      for (const it of items) {
        this.items.push(it);
        this.queue.push(it);
        this.totalBytes += it.size;
      }
      if (batch.total === 0) this.onBatchSettled?.(batch);
      this.startSampling();
      this.pump();
      return batch;
    } finally {
      this.preparing--;
      this.changed();
    }
  }

  /**
   * Resumes multipart uploads of an earlier page: the user picked the files again; only the parts the
   * store does not list are sent.
   */
  resume(records: { record: ResumeRecord; file: File }[]): Batch[] {
    const batches = new Map<string, Batch>();
    for (const { record: r, file } of records) {
      const id = `${r.target.connectionId}\n${r.target.bucket}`;
      let batch = batches.get(id);
      if (!batch) {
        batch = { id: this.nextId++, target: r.target, prefix: "", total: 0, settled: 0 };
        batches.set(id, batch);
      }
      batch.total++;
      const it = this.newItem(batch, { kind: "file", file, path: r.file.path }, r.key);
      it.resumed = true;
      it.status = "uploading";
      it.plan = {
        kind: "multipart",
        key: r.key,
        uploadId: r.uploadId,
        partSize: r.partSize,
        partCount: r.partCount,
      };
      it.multi = this.multiState(it.plan, false);
      this.items.push(it);
      this.totalBytes += it.size;
      this.active.add(it);
    }
    this.startSampling();
    this.pump();
    return [...batches.values()];
  }

  pause() {
    if (this.paused) return;
    this.paused = true;
    for (const it of this.active) for (const r of it.multi!.running.values()) r.ctl.abort();
    for (const it of this.items) it.single?.ctl.abort();
    this.changed();
  }

  unpause() {
    if (!this.paused) return;
    this.paused = false;
    this.startSampling();
    this.pump();
  }

  /** Stops a file; a multipart upload is aborted in the store so no parts are left to bill. */
  async cancel(it: UploadItem): Promise<void> {
    if (FINAL.has(it.status) && it.status !== "failed") return;
    const wasFailed = it.status === "failed";
    this.setStatus(it, "cancelled", wasFailed);
    it.single?.ctl.abort();
    if (it.multi) {
      for (const r of it.multi.running.values()) r.ctl.abort();
      this.active.delete(it);
      const { uploadId } = it.multi;
      it.multi = null;
      await this.abortInStore(it, uploadId);
    } else if (it.plan?.kind === "multipart") {
      // Planned (its upload id exists in the store) but not started yet.
      await this.abortInStore(it, it.plan.uploadId);
    }
    this.pump();
  }

  async cancelAll(): Promise<void> {
    await Promise.all(
      this.items.filter((it) => !FINAL.has(it.status) || it.status === "failed").map((it) => this.cancel(it)),
    );
  }

  /** Queues the failed files again; a multipart upload continues from the parts the store holds. */
  retryFailed() {
    for (const it of this.items) {
      if (it.status !== "failed") continue;
      this.counts.failed--;
      it.batch.settled--;
      it.error = null;
      if (it.multi) {
        it.status = "uploading";
        it.multi.synced = false;
        it.multi.busy = false;
        this.active.add(it);
      } else {
        it.status = "waiting";
        it.plan = null;
        this.again.push(it);
      }
    }
    this.pump();
  }

  /** Forgets finished files (the list in the panel); running ones stay. */
  clearFinished() {
    const keep = this.items.filter((it) => !FINAL.has(it.status) || it.status === "failed");
    const gone = this.items.filter((it) => FINAL.has(it.status) && it.status !== "failed");
    for (const it of gone) {
      this.totalBytes -= it.size;
      this.sentBytes -= it.sent;
      if (it.status === "done") this.counts.done--;
      else if (it.status === "skipped") this.counts.skipped--;
      else this.counts.cancelled--;
    }
    this.items.length = 0;
    this.items.push(...keep);
    if (this.queue.length > 0 && this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    this.changed();
  }

  // ---- scheduling ----

  private newItem(batch: Batch, entry: PickedEntry, key: string): UploadItem {
    const file = entry.kind === "file" ? entry.file : null;
    return {
      id: this.nextId++,
      batch,
      key,
      file,
      path: entry.path,
      size: file?.size ?? 0,
      contentType: file ? contentTypeOf(file) : undefined,
      status: "waiting",
      sent: 0,
      error: null,
      resumed: false,
      plan: null,
      multi: null,
      single: null,
      prepared: null,
    };
  }

  private multiState(plan: Extract<UploadPlan, { kind: "multipart" }>, synced: boolean): MultiState {
    return {
      uploadId: plan.uploadId,
      partSize: plan.partSize,
      partCount: plan.partCount,
      etags: new Map(),
      todo: Array.from({ length: plan.partCount }, (_, i) => i + 1),
      urls: new Map(),
      running: new Map(),
      synced,
      busy: false,
      signing: null,
      md5s: new Map(),
    };
  }

  private async freeName(target: UploadTarget, key: string, taken: Set<string>): Promise<string> {
    for (let n = 1; n < 10_000; n += 20) {
      const candidates = Array.from({ length: 20 }, (_, i) => renamed(key, n + i)).filter(
        (k) => !taken.has(k),
      );
      const exist = new Set(await this.t.conflicts(target, candidates));
      const free = candidates.find((k) => !exist.has(k));
      if (free) {
        taken.add(free);
        return free;
      }
    }
    throw new Error(`no free name for ${key}`);
  }

  private pump() {
    if (this.paused) return this.changed();
    this.planAhead();
    this.hashAhead();
    while (this.running < this.concurrency) {
      const unit = this.nextUnit();
      if (!unit) break;
      this.running++;
      void unit()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
    this.changed();
  }

  private nextUnit(): (() => Promise<void>) | null {
    for (;;) {
      for (const it of this.active) {
        const m = it.multi!;
        if (it.status !== "uploading" || m.busy) continue;
        if (!m.synced) {
          m.busy = true;
          return () => this.sync(it);
        }
        const n = m.todo.shift();
        if (n !== undefined) return () => this.putPart(it, n);
        if (m.running.size === 0) {
          m.busy = true;
          return () => this.complete(it);
        }
      }
      const fromAgain = this.again.length > 0;
      const it = fromAgain ? this.again[0] : this.queue[this.head];
      if (!it) return null;
      // Not signed yet: wait for the planner (it works from this point on).
      if (it.status === "waiting" && !it.plan) return null;
      if (fromAgain) this.again.shift();
      else this.head++;
      if (it.status !== "waiting" || !it.plan) continue;
      this.setStatus(it, "uploading");
      if (it.plan.kind === "single") return () => this.putSingle(it);
      it.multi = this.multiState(it.plan, true);
      this.active.add(it);
    }
  }

  /** Signs the next files a hundred at a time, keeping up to PLAN_AHEAD signed ahead of the uploads. */
  private planAhead() {
    if (this.planning || this.paused) return;
    const batch: UploadItem[] = [];
    let ahead = 0;
    const consider = (it: UploadItem) => {
      if (it.status !== "waiting") return;
      if (it.plan) ahead++;
      else if (batch.length < 100 && (batch.length === 0 || batch[0]!.batch.target === it.batch.target))
        batch.push(it);
    };
    for (const it of this.again) consider(it);
    for (let i = this.head; i < this.queue.length && ahead < PLAN_AHEAD && batch.length < 100; i++)
      consider(this.queue[i]!);
    if (batch.length === 0 || ahead >= PLAN_AHEAD) return;
    this.planning = true;
    void this.planBatch(batch).finally(() => {
      this.planning = false;
      this.pump();
    });
  }

  private async planBatch(batch: UploadItem[]) {
    const target = batch[0]!.batch.target;
    for (let attempt = 1; ; attempt++) {
      try {
        const plans = await this.t.plan(
          target,
          batch.map((it) => ({
            key: it.key,
            size: it.size,
            ...(it.contentType ? { contentType: it.contentType } : {}),
          })),
        );
        batch.forEach((it, i) => {
          const plan = plans[i]!;
          if (it.status === "waiting") {
            it.plan = plan;
            if (plan.kind === "multipart") void this.remember(it, plan);
          } else if (plan.kind === "multipart")
            void this.t.abort(target, plan.uploadId, plan.key).catch(() => undefined);
        });
        return;
      } catch (err) {
        if (apiRetryable(err) && attempt < this.attempts) {
          await sleep(this.backoff(attempt));
          continue;
        }
        const failure = apiFailure(err);
        // The bucket refuses this page (CORS) or the request itself is wrong: every waiting file of this
        // bucket would get the same answer.
        const all = failure.code === "CorsNotAllowed";
        const victims = all
          ? [...this.again, ...this.queue.slice(this.head)].filter(
              (it) => it.status === "waiting" && it.batch.target.bucket === target.bucket,
            )
          : batch;
        for (const it of victims) this.fail(it, failure);
        return;
      }
    }
  }

  // ---- the units of work (each holds one slot of the budget) ----

  private async putSingle(it: UploadItem) {
    const plan = it.plan as Extract<UploadPlan, { kind: "single" }>;
    try {
      const { md5, body } = await (it.prepared ?? this.prepare(it));
      it.prepared = null;
      let url = plan.url;
      let headers = plan.headers;
      let expiresAt = Date.parse(plan.expiresAt);
      await this.attempt(it, async () => {
        if (expiresAt - Date.now() < URL_MARGIN_MS) {
          const [fresh] = await this.t.plan(it.batch.target, [
            { key: it.key, size: it.size, ...(it.contentType ? { contentType: it.contentType } : {}) },
          ]);
          if (fresh?.kind !== "single") throw new FileError("unknown", "unexpected plan");
          ({ url, headers } = fresh);
          expiresAt = Date.parse(fresh.expiresAt);
        }
        const ctl = new AbortController();
        const progress = { loaded: 0, ctl };
        it.single = progress;
        this.inflight.add(progress);
        try {
          return await this.t.put(
            url,
            body,
            { ...headers, "content-md5": md5 },
            (n) => (progress.loaded = n),
            ctl.signal,
          );
        } finally {
          this.inflight.delete(progress);
          it.single = null;
        }
      });
      it.sent = it.size;
      this.sentBytes += it.size;
      this.setStatus(it, "done");
    } catch (err) {
      if (err instanceof Cancelled) {
        if (this.paused && it.status === "uploading") {
          it.status = "waiting";
          this.again.unshift(it);
        }
        return;
      }
      this.fail(it, apiFailure(err));
    }
  }

  private async putPart(it: UploadItem, n: number) {
    const m = it.multi!;
    const start = (n - 1) * m.partSize;
    const end = Math.min(it.size, start + m.partSize);
    const ctl = new AbortController();
    const progress = { loaded: 0, ctl };
    m.running.set(n, progress);
    try {
      // The bytes are read once to hash them and sent from the file itself (the browser streams a Blob).
      const body = it.file!.slice(start, end);
      const md5 = await (m.md5s.get(n) ?? this.hashPart(it, m, n));
      const result = await this.attempt(
        it,
        async () => {
          const url = await this.partUrl(it, m, n);
          if (ctl.signal.aborted) throw new Cancelled();
          this.inflight.add(progress);
          try {
            return await this.t.put(
              url,
              body,
              { "content-md5": md5 },
              (x) => (progress.loaded = x),
              ctl.signal,
            );
          } finally {
            this.inflight.delete(progress);
            progress.loaded = 0;
          }
        },
        ctl.signal,
      );
      if (!result.etag) throw new FileError("NoETag", "no ETag");
      m.etags.set(n, result.etag);
      m.md5s.delete(n);
      it.sent += end - start;
      this.sentBytes += end - start;
    } catch (err) {
      if (err instanceof Cancelled) {
        if (it.multi === m && it.status === "uploading") m.todo.unshift(n);
        return;
      }
      m.todo.unshift(n);
      this.fail(it, apiFailure(err));
    } finally {
      m.running.delete(n);
    }
  }

  /** The store's list of parts decides what a resumed (or retried) upload still has to send. */
  private async sync(it: UploadItem) {
    const m = it.multi!;
    try {
      const parts = await this.withApiRetry(() => this.t.listParts(it.batch.target, m.uploadId, it.key));
      const expected = (n: number) => Math.min(m.partSize, it.size - (n - 1) * m.partSize);
      m.etags.clear();
      for (const p of parts) {
        if (p.partNumber <= m.partCount && p.size === expected(p.partNumber))
          m.etags.set(p.partNumber, p.etag);
      }
      m.todo = Array.from({ length: m.partCount }, (_, i) => i + 1).filter((n) => !m.etags.has(n));
      this.sentBytes -= it.sent;
      it.sent = [...m.etags.keys()].reduce((s, n) => s + expected(n), 0);
      this.sentBytes += it.sent;
      m.synced = true;
    } catch (err) {
      const failure = apiFailure(err);
      if (failure.code === "NoSuchUpload") {
        // Gone from the store (aborted, or cleaned up by a lifecycle rule): start this file over.
        void this.resumeStore?.remove(m.uploadId);
        this.active.delete(it);
        it.multi = null;
        it.plan = null;
        this.sentBytes -= it.sent;
        it.sent = 0;
        it.status = "waiting";
        this.again.unshift(it);
        return;
      }
      this.fail(it, failure);
    } finally {
      m.busy = false;
    }
  }

  private async complete(it: UploadItem) {
    const m = it.multi!;
    try {
      const parts = [...m.etags].map(([partNumber, etag]) => ({ partNumber, etag }));
      await this.withApiRetry(() => this.t.complete(it.batch.target, m.uploadId, it.key, parts, it.size));
      this.active.delete(it);
      void this.resumeStore?.remove(m.uploadId);
      this.setStatus(it, "done");
    } catch (err) {
      const failure = apiFailure(err);
      if (failure.code === "InvalidPart") {
        m.synced = false; // a part went missing: list again and send what is missing
        return;
      }
      this.fail(it, failure);
    } finally {
      m.busy = false;
    }
  }

  // ---- hashing ahead ----

  private hashing = 0;

  /**
   * Reads and hashes what comes next while the slots are busy sending, two at a time: the CPU work of
   * Content-MD5 overlaps the network instead of delaying each request.
   */
  private hashAhead() {
    let ahead = 0;
    for (const it of this.active) {
      const m = it.multi!;
      if (it.status !== "uploading" || !m.synced) continue;
      for (const n of m.todo.slice(0, HASH_AHEAD)) {
        if (this.hashing >= 2 || ahead >= HASH_AHEAD) return;
        ahead++;
        if (!m.md5s.has(n)) this.track(this.hashPart(it, m, n));
      }
    }
    const next = [...this.again.slice(0, HASH_AHEAD), ...this.queue.slice(this.head, this.head + HASH_AHEAD)];
    for (const it of next) {
      if (this.hashing >= 2 || ahead >= HASH_AHEAD) return;
      if (it.status !== "waiting" || it.plan?.kind !== "single") continue;
      ahead++;
      if (!it.prepared) this.track(this.prepare(it));
    }
  }

  private track(p: Promise<unknown>) {
    this.hashing++;
    void p
      .catch(() => undefined)
      .finally(() => {
        this.hashing--;
        this.pump();
      });
  }

  private prepare(it: UploadItem): Promise<Prepared> {
    const file = it.file ?? new Blob([]);
    // A small file is read once: the bytes hashed are the bytes sent (a Blob would be read again to send).
    const p = (it.size <= READ_ONCE_MAX ? this.read(file) : Promise.resolve(file)).then(async (body) => ({
      md5: await this.hash(body),
      body,
    }));
    it.prepared = p;
    p.catch(() => (it.prepared = null));
    return p;
  }

  private hashPart(it: UploadItem, m: MultiState, n: number): Promise<string> {
    const start = (n - 1) * m.partSize;
    const p = this.hash(it.file!.slice(start, Math.min(it.size, start + m.partSize)));
    m.md5s.set(n, p);
    p.catch(() => m.md5s.delete(n));
    return p;
  }

  // ---- helpers ----

  private async partUrl(it: UploadItem, m: MultiState, n: number): Promise<string> {
    const fresh = (x: number) => (m.urls.get(x)?.expiresAt ?? 0) - Date.now() > URL_MARGIN_MS;
    for (let i = 0; i < 10; i++) {
      if (fresh(n)) return m.urls.get(n)!.url;
      if (!m.signing) {
        // This part, the other parts under way without a URL, then the next ones: one request for many.
        const wanted = [...new Set([n, ...m.running.keys(), ...m.todo.slice(0, SIGN_AHEAD)])]
          .filter((x) => !fresh(x))
          .slice(0, SIGN_AHEAD);
        m.signing = this.withApiRetry(() => this.t.signParts(it.batch.target, m.uploadId, it.key, wanted))
          .then(({ urls, expiresAt }) => {
            const exp = Date.parse(expiresAt);
            for (const [k, url] of Object.entries(urls)) m.urls.set(Number(k), { url, expiresAt: exp });
          })
          .finally(() => (m.signing = null));
      }
      await m.signing;
    }
    throw new FileError("unknown", "could not sign the part");
  }

  /** Runs a PUT until it succeeds, repeating it with backoff while the failure is worth repeating. */
  private async attempt(
    it: UploadItem,
    put: () => Promise<PutResult>,
    signal?: AbortSignal,
  ): Promise<PutResult> {
    for (let attempt = 1; ; attempt++) {
      if (it.status !== "uploading" || this.paused || signal?.aborted) throw new Cancelled();
      const r = await put();
      if (r.status >= 200 && r.status < 300) return r;
      if (it.status !== "uploading" || this.paused || signal?.aborted) throw new Cancelled();
      if (!retryable(r) || attempt >= this.attempts) throw putFailure(r);
      await sleep(this.backoff(attempt));
    }
  }

  private async withApiRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!apiRetryable(err) || attempt >= this.attempts) throw err;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private async hash(body: Blob | Uint8Array<ArrayBuffer>): Promise<string> {
    try {
      return await this.t.md5(body);
    } catch {
      throw new FileError("unreadable", "unreadable");
    }
  }

  private async read(file: Blob): Promise<Uint8Array<ArrayBuffer>> {
    try {
      return new Uint8Array(await file.arrayBuffer());
    } catch {
      throw new FileError("unreadable", "unreadable");
    }
  }

  private async abortInStore(it: UploadItem, uploadId: string) {
    try {
      await this.withApiRetry(() => this.t.abort(it.batch.target, uploadId, it.key));
      await this.resumeStore?.remove(uploadId);
    } catch (err) {
      it.error = apiFailure(err);
      this.changed();
    }
  }

  private async remember(it: UploadItem, m: Extract<UploadPlan, { kind: "multipart" }>) {
    if (!this.resumeStore || !it.file) return;
    await this.resumeStore
      .save({
        uploadId: m.uploadId,
        target: it.batch.target,
        key: it.key,
        partSize: m.partSize,
        partCount: m.partCount,
        contentType: it.contentType ?? null,
        file: { name: it.file.name, size: it.file.size, lastModified: it.file.lastModified, path: it.path },
        startedAt: Date.now(),
      })
      .catch(() => undefined);
  }

  private fail(it: UploadItem, error: ItemError) {
    if (FINAL.has(it.status)) return;
    it.error = error;
    for (const r of it.multi?.running.values() ?? []) r.ctl.abort();
    this.active.delete(it);
    this.setStatus(it, "failed");
  }

  private setStatus(it: UploadItem, status: ItemStatus, wasFinal = false) {
    const before = it.status;
    it.status = status;
    if (FINAL.has(before) && before !== status) this.counts[before as keyof typeof this.counts]--;
    if (FINAL.has(status) && before !== status) {
      this.counts[status as keyof typeof this.counts]++;
      if (!wasFinal && !FINAL.has(before)) {
        it.batch.settled++;
        if (it.batch.settled === it.batch.total) this.onBatchSettled?.(it.batch);
        if (this.stats().active === 0) this.stopSampling();
      }
    }
    this.changed();
  }

  private startSampling() {
    if (this.sampler) return;
    this.sampler = setInterval(() => {
      const now = Date.now();
      const bytes = this.sentBytes + [...this.inflight].reduce((s, r) => s + r.loaded, 0);
      if (this.lastSample) {
        const rate = ((bytes - this.lastSample.bytes) * 1000) / Math.max(1, now - this.lastSample.at);
        this.speed = this.speed === 0 ? rate : this.speed * 0.7 + Math.max(0, rate) * 0.3;
      }
      this.lastSample = { at: now, bytes };
      if (this.paused || this.stats().active === 0) this.stopSampling();
      this.changed();
    }, 1000);
  }

  private stopSampling() {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    this.speed = 0;
    this.lastSample = null;
  }

  private changed() {
    this.version++;
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      for (const fn of this.listeners) fn();
    }, 150);
  }
}
