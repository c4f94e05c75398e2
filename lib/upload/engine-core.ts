import type { UploadPlan } from "@/lib/validation/uploads";
import { AdaptiveLimit, protocolOf } from "./adaptive";
import { contentTypeOf } from "./keys";
import {
  apiFailure,
  apiRetryable,
  defaultBackoff,
  FileError,
  FINAL,
  sleep,
  type Batch,
  type EngineOptions,
  type EngineStats,
  type ItemError,
  type ItemStatus,
  type MultiState,
  type UploadItem,
} from "./engine-model";
import type { ChoiceTimes } from "./method-choice";
import type { PickedEntry, ResumeStore, UploadTransport } from "./types";

/**
 * The upload engine's bookkeeping: its queues and counters, statistics and speed, item states and the
 * batches they settle, the page's subscription, and the small helpers every transfer uses (retries of API
 * calls, hashing, reading, resume records). The transfers themselves are in engine-parts.ts and engine.ts.
 */
export abstract class EngineCore {
  protected readonly t: UploadTransport;
  protected readonly resumeStore: ResumeStore | undefined;
  /** Requests to the store in flight: measured and adjusted (adaptive.ts), or fixed by the options. */
  protected readonly slots: AdaptiveLimit;
  private protocolSeen = false;
  protected readonly attempts: number;
  protected readonly backoff: (attempt: number) => number;
  protected readonly onBatchSettled: ((b: Batch) => void) | undefined;
  protected readonly choiceTimes: ChoiceTimes | undefined;

  readonly items: UploadItem[] = [];
  protected queue: UploadItem[] = [];
  protected head = 0;
  protected readonly again: UploadItem[] = [];
  protected readonly active = new Set<UploadItem>();
  protected running = 0;
  protected planning = false;
  protected paused = false;
  protected nextId = 1;
  protected preparing = 0;
  protected readonly counts = { done: 0, failed: 0, skipped: 0, cancelled: 0 };
  protected totalBytes = 0;
  protected sentBytes = 0;
  protected readonly inflight = new Set<{ loaded: number }>();
  protected speed = 0;
  protected lastSample: { at: number; bytes: number } | null = null;
  protected sampler: ReturnType<typeof setInterval> | null = null;
  protected readonly listeners = new Set<() => void>();
  protected notifyTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped on every change the page may show. */
  version = 0;

  constructor(o: EngineOptions) {
    this.t = o.transport;
    this.resumeStore = o.resume;
    this.slots = new AdaptiveLimit(
      o.concurrency !== undefined ? { initial: o.concurrency, fixed: true } : { initial: 6 },
    );
    this.attempts = o.attempts ?? 6;
    this.backoff = o.backoff ?? defaultBackoff;
    this.onBatchSettled = o.onBatchSettled;
    this.choiceTimes = o.choiceTimes;
  }

  /** Runs whatever can run now (implemented by the engine). */
  protected abstract pump(): void;

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

  protected newItem(batch: Batch, entry: PickedEntry, key: string): UploadItem {
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

  protected multiState(plan: Extract<UploadPlan, { kind: "multipart" }>, synced: boolean): MultiState {
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

  /** A request to the store finished well: counts for the measured limit; the protocol is looked up once. */
  protected requestDone(url: string, bytes: number) {
    this.slots.done(bytes);
    if (this.protocolSeen) return;
    const p = this.t.protocol?.(url);
    if (p === undefined) return;
    this.protocolSeen = true;
    this.slots.protocol(protocolOf(p));
  }

  /** Bytes a second one request moves, as measured now (0 when unknown): the planner sizes parts by it. */
  protected linkBytesPerSecond(): number {
    return this.speed > 0 && this.running > 0 ? this.speed / this.running : 0;
  }

  protected async withApiRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!apiRetryable(err) || attempt >= this.attempts) throw err;
        await sleep(this.backoff(attempt));
      }
    }
  }

  protected async hash(body: Blob | Uint8Array<ArrayBuffer>): Promise<string> {
    try {
      return await this.t.md5(body);
    } catch {
      throw new FileError("unreadable", "unreadable");
    }
  }

  /** A file's MD5 and, with `keep`, its bytes: one read. */
  protected async digest(
    file: Blob,
    keep: boolean,
  ): Promise<{ md5: string; bytes: Uint8Array<ArrayBuffer> | null }> {
    if (this.t.digest) {
      try {
        return await this.t.digest(file, keep);
      } catch {
        throw new FileError("unreadable", "unreadable");
      }
    }
    const bytes = await this.read(file);
    return { md5: await this.hash(bytes), bytes: keep ? bytes : null };
  }

  protected async read(file: Blob): Promise<Uint8Array<ArrayBuffer>> {
    try {
      return new Uint8Array(await file.arrayBuffer());
    } catch {
      throw new FileError("unreadable", "unreadable");
    }
  }

  protected async abortInStore(it: UploadItem, uploadId: string) {
    try {
      await this.withApiRetry(() => this.t.abort(it.batch.target, uploadId, it.key));
      await this.resumeStore?.remove(uploadId);
    } catch (err) {
      it.error = apiFailure(err);
      this.changed();
    }
  }

  protected async remember(it: UploadItem, m: Extract<UploadPlan, { kind: "multipart" }>) {
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

  protected fail(it: UploadItem, error: ItemError) {
    if (FINAL.has(it.status)) return;
    it.error = error;
    for (const r of it.multi?.running.values() ?? []) r.ctl.abort();
    this.active.delete(it);
    this.setStatus(it, "failed");
  }

  protected setStatus(it: UploadItem, status: ItemStatus, wasFinal = false) {
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

  protected startSampling() {
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

  protected stopSampling() {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    this.speed = 0;
    this.lastSample = null;
  }

  protected changed() {
    this.version++;
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      for (const fn of this.listeners) fn();
    }, 150);
  }
}
