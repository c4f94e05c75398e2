import { ApiError } from "@/lib/api-client";
import type { UploadPlan } from "@/lib/validation/uploads";
import type { ChoiceTimes } from "./method-choice";
import type { PutResult, ResumeStore, UploadTarget, UploadTransport } from "./types";

// What the upload engine (engine.ts) works with: its items and batches, its statistics, its options and
// tuning, and the errors a transfer ends with.

export type ItemStatus = "waiting" | "uploading" | "done" | "failed" | "skipped" | "cancelled";
export const FINAL: ReadonlySet<ItemStatus> = new Set(["done", "failed", "skipped", "cancelled"]);

export interface ItemError {
  /** The store's or our API's code (CorsNotAllowed, BadDigest, network, …); the page translates it. */
  code: string;
  message: string;
}

export interface MultiState {
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

/**
 * A file hashed ahead of its turn: its Content-MD5, the file to send, and for a file up to FORM_BYTES_MAX the
 * bytes read for the hash, which a POST form sends framed.
 */
export interface Prepared {
  md5: string;
  file: Blob;
  bytes: Uint8Array<ArrayBuffer> | null;
}

export interface Batch {
  readonly id: number;
  readonly target: UploadTarget;
  readonly prefix: string;
  total: number;
  settled: number;
  /** Files of the drop left out: the store had the same bytes, or the user chose to skip existing keys. */
  identical: number;
  skipped: number;
  /** Queued files that replace an existing object (changed content, or overwrite chosen). */
  replacing: number;
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
  /** How long forms and PUTs are measured against each other (method-choice.ts; tests shorten it). */
  choiceTimes?: ChoiceTimes;
}

export const PLAN_AHEAD = 200;
/** Files and parts hashed ahead of the uploads, so a free slot starts sending at once. */
export const HASH_AHEAD = 12;
/**
 * Reads and hashes at once: parts are up to 64 MiB each, so two; small files are read in a few
 * milliseconds each, and on a busy machine two at a time could not keep six requests busy at 20 ms (the
 * number in flight dipped to 0-3 every few seconds), so four.
 */
export const HASHING_AT_ONCE = { parts: 2, files: 4 } as const;
/**
 * What a small file's request carries (measured in Chromium: `npm run bench:bodies`, CONTRIBUTING). A body
 * from memory is copied through the page's main thread, cheaply up to 64 KiB and in pieces above, while the
 * picked file itself is streamed from disk by the browser's network process. So a PUT sends the bytes read
 * for the hash up to PUT_BYTES_MAX and the file above (from memory, 128 KiB files took 1.2× the time and
 * 1.6× the page's CPU; 512 KiB, 1.3× and 1.7×). A POST form must frame the file in its fields: up to
 * FORM_BYTES_MAX in one buffer with the bytes read; above, as a Blob of the fields, the file and the end,
 * whose assembly in the browser process only larger files repay (1.45× the time at 60 KB, 1.1× at
 * 128 KiB, 0.8× at 512 KiB).
 */
export const PUT_BYTES_MAX = 64 * 1024;
export const FORM_BYTES_MAX = 256 * 1024;

export const SIGN_AHEAD = 20;
export const URL_MARGIN_MS = 60_000;

export const defaultBackoff = (attempt: number) =>
  Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A request worth repeating: the network, the store being busy or broken, or bytes damaged on the way. */
export function retryable(r: { status: number; code: string | null }): boolean {
  return r.status === 0 || r.status >= 500 || r.status === 408 || r.status === 429 || r.code === "BadDigest";
}

export class Cancelled extends Error {}

export class FileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function putFailure(r: PutResult): FileError {
  const code = r.code ?? (r.status === 0 ? "network" : `HTTP ${r.status}`);
  return new FileError(code, r.status === 0 ? "network" : `${code} (HTTP ${r.status})`);
}

export function apiFailure(err: unknown): FileError {
  if (err instanceof FileError) return err;
  if (err instanceof ApiError) {
    const storeCode = typeof err.details?.storeCode === "string" ? err.details.storeCode : null;
    return new FileError(storeCode ?? err.code, err.message);
  }
  return new FileError("unknown", err instanceof Error ? err.message : String(err));
}

export const apiRetryable = (err: unknown) =>
  err instanceof ApiError && (err.status === 0 || err.status === 429 || err.status >= 500);
