import {
  apiFailure,
  Cancelled,
  FileError,
  putFailure,
  retryable,
  sleep,
  SIGN_AHEAD,
  URL_MARGIN_MS,
  type MultiState,
  type UploadItem,
} from "./engine-model";
import { EngineCore } from "./engine-core";
import type { PutResult } from "./types";

/**
 * Multipart transfers: each part hashed, signed (a batch of URLs at a time) and sent with retries; the
 * store's list of parts decides what a resumed upload still sends; completion, and the PUT retry loop that
 * single files share.
 */
export abstract class EngineParts extends EngineCore {
  protected async putPart(it: UploadItem, n: number) {
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
      let sentTo = "";
      const result = await this.attempt(
        it,
        async () => {
          const url = await this.partUrl(it, m, n);
          sentTo = url;
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
      this.requestDone(sentTo, end - start);
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
  protected async sync(it: UploadItem) {
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

  protected async complete(it: UploadItem) {
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

  protected hashPart(it: UploadItem, m: MultiState, n: number): Promise<string> {
    const start = (n - 1) * m.partSize;
    const p = this.hash(it.file!.slice(start, Math.min(it.size, start + m.partSize)));
    m.md5s.set(n, p);
    p.catch(() => m.md5s.delete(n));
    return p;
  }

  protected async partUrl(it: UploadItem, m: MultiState, n: number): Promise<string> {
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
  protected async attempt(
    it: UploadItem,
    put: () => Promise<PutResult>,
    signal?: AbortSignal,
  ): Promise<PutResult> {
    for (let attempt = 1; ; attempt++) {
      if (it.status !== "uploading" || this.paused || signal?.aborted) throw new Cancelled();
      const r = await put();
      if (r.status >= 200 && r.status < 300) return r;
      if (it.status !== "uploading" || this.paused || signal?.aborted) throw new Cancelled();
      // The path is overloaded or broken: fewer requests in flight.
      if (r.status === 0 || r.status >= 500 || r.status === 429) this.slots.failed();
      if (!retryable(r) || attempt >= this.attempts) throw putFailure(r);
      await sleep(this.backoff(attempt));
    }
  }
}
