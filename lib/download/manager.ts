// Folder downloads in the browser: files go from the store (presigned GETs) straight into a local folder the
// user picked, several at a time, with progress, speed, pause, cancel, and files already there with the same
// size skipped, so running the same download again picks up where it stopped. Browser APIs come in through
// `Destination` and `fetchFile`, so the scheduling is tested without a browser.

export interface RemoteFile {
  key: string;
  /** Null when the page did not know it: the file is then never skipped, always fetched. */
  size: number | null;
  archived: boolean;
  url: string;
}

/** Where files go: a folder on the user's disk (the File System Access API in Chromium). */
export interface Destination {
  /** The size of the file at this path, or null when there is none. */
  sizeOf(path: string[]): Promise<number | null>;
  /** A stream that replaces the file at this path once closed (an abort leaves the old file alone). */
  create(path: string[]): Promise<WritableStream<Uint8Array>>;
}

export interface DownloadSource {
  /** The files, a page at a time (a folder is listed by the server as the download goes). */
  pages(): AsyncIterable<RemoteFile[]>;
  /** A fresh signed GET for one key (its first one is old, or was refused). */
  resign(key: string): Promise<string>;
}

export type DownloadStatus = "listing" | "running" | "paused" | "done" | "cancelled" | "failed";

export interface DownloadSnapshot {
  id: string;
  label: string;
  status: DownloadStatus;
  /** Every file of the download has been listed (until then totals grow). */
  listed: boolean;
  files: number;
  done: number;
  skipped: number;
  failed: { key: string; message: string }[];
  bytesTotal: number;
  bytesDone: number;
  /** Bytes a second over the last few seconds. */
  speed: number;
  /** The folder-level error that stopped the download (listing failed, folder not writable). */
  error: string | null;
  /** False for a zip: a file cut off half-way would break the whole archive. */
  pausable: boolean;
}

export interface DownloadOptions {
  concurrency?: number;
  /** Pause is offered (default true). */
  pausable?: boolean;
  /** Strips this much of each key to make its path under the chosen folder. */
  base: string;
  fetchFile?: (url: string, signal: AbortSignal) => Promise<Response>;
  /** A signed URL older than this is signed again before use (they live an hour). */
  resignAfterMs?: number;
  now?: () => number;
  messages: { archived: string; http: (status: number) => string; network: string };
}

interface Item {
  file: RemoteFile;
  signedAt: number;
  attempts: number;
}

let seq = 0;

export class FolderDownload {
  readonly id = `dl-${++seq}`;
  private state: DownloadSnapshot;
  private queue: Item[] = [];
  private inFlight = new Map<Item, AbortController>();
  private listeners = new Set<() => void>();
  private listing: Promise<void> | null = null;
  private samples: { t: number; bytes: number }[] = [];
  private readonly concurrency: number;
  private readonly now: () => number;
  private finished: () => void = () => {};
  /** Resolves when the download ends (done, cancelled or failed). */
  readonly settled: Promise<void>;

  constructor(
    label: string,
    private readonly source: DownloadSource,
    private readonly dest: Destination,
    private readonly opts: DownloadOptions,
  ) {
    this.concurrency = opts.concurrency ?? 4;
    this.now = opts.now ?? (() => Date.now());
    this.state = {
      id: this.id,
      label,
      status: "listing",
      listed: false,
      files: 0,
      done: 0,
      skipped: 0,
      failed: [],
      bytesTotal: 0,
      bytesDone: 0,
      speed: 0,
      error: null,
      pausable: opts.pausable ?? true,
    };
    this.settled = new Promise((r) => (this.finished = r));
  }

  snapshot(): DownloadSnapshot {
    return this.state;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.listing = this.list();
    this.pump();
  }

  pause(): void {
    if (!this.state.pausable) return;
    if (this.state.status !== "running" && this.state.status !== "listing") return;
    this.set({ status: "paused" });
    // What was on the way starts again from its first byte on resume (its partial file was discarded).
    for (const [item, ctl] of this.inFlight) {
      ctl.abort();
      this.queue.unshift(item);
    }
    this.inFlight.clear();
  }

  resume(): void {
    if (this.state.status !== "paused") return;
    this.set({ status: this.state.listed ? "running" : "listing" });
    this.pump();
  }

  cancel(): void {
    if (["done", "cancelled", "failed"].includes(this.state.status)) return;
    for (const ctl of this.inFlight.values()) ctl.abort();
    this.inFlight.clear();
    this.queue = [];
    this.end({ status: "cancelled" });
  }

  private set(patch: Partial<DownloadSnapshot>) {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private end(patch: Partial<DownloadSnapshot>) {
    this.set({ ...patch, speed: 0 });
    this.finished();
  }

  private cancelled() {
    return this.state.status === "cancelled";
  }

  private active() {
    return this.state.status === "running" || this.state.status === "listing";
  }

  private async list() {
    try {
      for await (const page of this.source.pages()) {
        if (this.cancelled()) return;
        const t = this.now();
        for (const file of page) this.queue.push({ file, signedAt: t, attempts: 0 });
        this.set({
          files: this.state.files + page.length,
          bytesTotal: this.state.bytesTotal + page.reduce((n, f) => n + (f.size ?? 0), 0),
        });
        this.pump();
        // Listing runs ahead of the transfers by at most a few pages.
        while (this.queue.length > 3000 && !this.cancelled()) await sleep(200);
      }
      this.set({ listed: true, ...(this.state.status === "listing" ? { status: "running" } : {}) });
      this.pump();
    } catch (err) {
      for (const ctl of this.inFlight.values()) ctl.abort();
      this.end({ status: "failed", error: err instanceof Error ? err.message : String(err) });
    }
  }

  private pump() {
    if (!this.active()) return;
    while (this.inFlight.size < this.concurrency && this.queue.length > 0) {
      const item = this.queue.shift()!;
      const ctl = new AbortController();
      this.inFlight.set(item, ctl);
      void this.transfer(item, ctl.signal).finally(() => {
        if (this.inFlight.get(item) === ctl) this.inFlight.delete(item);
        this.pump();
      });
    }
    if (this.state.listed && this.inFlight.size === 0 && this.queue.length === 0 && this.active()) {
      this.end({ status: "done" });
    }
  }

  private path(key: string): string[] {
    return key.slice(this.opts.base.length).split("/").filter(Boolean);
  }

  private count(bytes: number) {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 0 && this.samples[0]!.t < t - 5000) this.samples.shift();
    const span = Math.max(1000, t - (this.samples[0]?.t ?? t));
    const sum = this.samples.reduce((n, s) => n + s.bytes, 0);
    this.set({ bytesDone: this.state.bytesDone + bytes, speed: (sum / span) * 1000 });
  }

  private async transfer(item: Item, signal: AbortSignal): Promise<void> {
    const { file } = item;
    const path = this.path(file.key);
    let counted = 0;
    try {
      if (file.size !== null && (await this.dest.sizeOf(path)) === file.size) {
        this.count(file.size);
        this.set({ skipped: this.state.skipped + 1 });
        return;
      }
      if (this.now() - item.signedAt > (this.opts.resignAfterMs ?? 45 * 60_000)) {
        file.url = await this.source.resign(file.key);
        item.signedAt = this.now();
      }
      const fetchFile = this.opts.fetchFile ?? ((url, s) => fetch(url, { signal: s }));
      const res = await fetchFile(file.url, signal);
      if (!res.ok || !res.body) {
        // A refused signature (it expired while paused) gets one fresh one.
        if (res.status === 403 && !file.archived && item.attempts === 0) {
          item.attempts++;
          file.url = await this.source.resign(file.key);
          item.signedAt = this.now();
          return this.transfer(item, signal);
        }
        throw new DownloadError(
          file.archived && res.status === 403
            ? this.opts.messages.archived
            : this.opts.messages.http(res.status),
        );
      }
      const out = await this.dest.create(path);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, ctl) => {
          counted += chunk.byteLength;
          this.count(chunk.byteLength);
          ctl.enqueue(chunk);
        },
      });
      await res.body.pipeThrough(counter, { signal }).pipeTo(out, { signal });
      this.set({ done: this.state.done + 1 });
    } catch (err) {
      if (counted > 0) this.set({ bytesDone: this.state.bytesDone - counted });
      if (signal.aborted) return; // paused or cancelled: the queue already knows
      item.attempts++;
      if (!(err instanceof DownloadError) && item.attempts < 3) {
        this.queue.push(item);
        return;
      }
      this.set({
        failed: [
          ...this.state.failed,
          { key: file.key, message: err instanceof DownloadError ? err.message : this.opts.messages.network },
        ],
      });
    }
  }
}

class DownloadError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
