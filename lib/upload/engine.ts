import { planDrop } from "./drop";
import {
  apiFailure,
  apiRetryable,
  FINAL,
  HASH_AHEAD,
  HASHING_AT_ONCE,
  PLAN_AHEAD,
  sleep,
  type Batch,
  type UploadItem,
} from "./engine-model";
import { EngineSingle } from "./engine-single";
import type { ConflictResolver, PickedEntry, ResumeRecord, UploadTarget } from "./types";

// The upload engine. Everything a drop of one huge file or of 50,000 small ones needs, under one budget
// of requests to the store:
// - small files: one POST form each where the store takes them (no CORS preflight: one round trip), else one
//   presigned PUT (engine-single.ts), planned (signed) by the server a hundred at a time, just ahead of
//   use so the URLs are fresh; a file up to 1 MiB is read once, and the bytes hashed are the bytes sent;
// - large files: multipart, several parts in flight, each read from disk only when it is sent (memory stays
//   at budget × part size, whatever the file size);
// - Content-MD5 on every PUT, so the store refuses bytes changed on the way;
// - each request retried with backoff on network errors, 5xx, 408/429 and BadDigest; the number in flight
//   measured and adjusted to the link (adaptive.ts);
// - multipart uploads remembered (ResumeStore) so a reload can resume them, sending only the parts the
//   store does not list.
// Nothing here renders: the page subscribes and reads a snapshot a few times a second.

export type { Batch, EngineStats, ItemError, ItemStatus, UploadItem } from "./engine-model";
export { retryable } from "./engine-model";

export class UploadEngine extends EngineSingle {
  // ---- what the page calls ----

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
      const batch: Batch = {
        id: this.nextId++,
        target,
        prefix,
        total: 0,
        settled: 0,
        identical: 0,
        skipped: 0,
        replacing: 0,
      };
      const plan = await planDrop(this.t, target, prefix, entries, resolve);
      if (!plan) return batch; // the user closed the question: nothing of this drop is queued
      batch.identical = plan.identical;
      batch.skipped = plan.skipped;
      batch.replacing = plan.admitted.filter((a) => a.replaces).length;
      const items = plan.admitted.map((a) => this.newItem(batch, a.entry, a.key));
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
        batch = {
          id: this.nextId++,
          target: r.target,
          prefix: "",
          total: 0,
          settled: 0,
          identical: 0,
          skipped: 0,
          replacing: 0,
        };
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

  protected pump() {
    if (this.paused) return this.changed();
    this.planAhead();
    this.hashAhead();
    while (this.running < this.slots.limit) {
      const unit = this.nextUnit();
      if (!unit) break;
      this.running++;
      void unit()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.inFlightChanged();
          this.pump();
        });
    }
    this.inFlightChanged();
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
      if (it.plan.kind !== "multipart") return () => this.putSingle(it);
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
        const hints = this.planHints(target);
        const plans = await this.t.plan(
          target,
          batch.map((it) => ({
            key: it.key,
            size: it.size,
            ...(it.contentType ? { contentType: it.contentType } : {}),
          })),
          hints,
        );
        // The choice of forms or PUTs changed while these were signed: those of small files are signed again.
        const stale = hints.form !== this.planHints(target).form;
        batch.forEach((it, i) => {
          const plan = plans[i]!;
          if (stale && this.stalePlan(target, plan)) return;
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

  // ---- hashing ahead ----

  private hashing = 0;

  /**
   * Reads and hashes what comes next while the slots are busy sending (HASHING_AT_ONCE): the CPU work of
   * Content-MD5 overlaps the network instead of delaying each request.
   */
  private hashAhead() {
    let ahead = 0;
    for (const it of this.active) {
      const m = it.multi!;
      if (it.status !== "uploading" || !m.synced) continue;
      for (const n of m.todo.slice(0, HASH_AHEAD)) {
        if (this.hashing >= HASHING_AT_ONCE.parts || ahead >= HASH_AHEAD) return;
        ahead++;
        if (!m.md5s.has(n)) this.track(this.hashPart(it, m, n));
      }
    }
    const next = [...this.again.slice(0, HASH_AHEAD), ...this.queue.slice(this.head, this.head + HASH_AHEAD)];
    for (const it of next) {
      if (this.hashing >= HASHING_AT_ONCE.files || ahead >= HASH_AHEAD) return;
      if (it.status !== "waiting" || (it.plan?.kind !== "single" && it.plan?.kind !== "form")) continue;
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
}
