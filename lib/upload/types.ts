import type { UploadedPart, UploadFile, UploadPlan, UploadReport } from "@/lib/validation/uploads";

/** Where files go: one bucket through one of the user's connections. */
export interface UploadTarget {
  connectionId: string;
  bucket: string;
}

/** A file or an (empty) folder picked or dropped, with its path relative to the drop ("a/b/c.jpg"). */
export type PickedEntry = { kind: "file"; file: File; path: string } | { kind: "folder"; path: string };

/** The answer of a PUT straight to the store. `status` 0 is a network failure (or a CORS refusal). */
export interface PutResult {
  status: number;
  etag: string | null;
  /**
   * The store's error code from its XML body (BadDigest, AccessDenied, …), when it sent one; "Stalled" when
   * the transport gave up on a connection that moved nothing for too long (status 0, retried like one).
   */
  code: string | null;
}

/** An object that exists under a key a drop wants: enough to tell whether the file is the same. */
export interface ExistingObject {
  key: string;
  size: number;
  etag: string | null;
}

/** What the engine needs from the outside world; the browser's version is http-transport.ts. */
/** What the engine tells the planner beyond the files (see planUploadsSchema). */
export interface PlanHints {
  form?: boolean;
  linkBytesPerSecond?: number;
}

export interface UploadTransport {
  plan(target: UploadTarget, files: UploadFile[], hints?: PlanHints): Promise<UploadPlan[]>;
  /** Which of these keys exist already (at most 1,000 at a time). */
  conflicts(target: UploadTarget, keys: string[]): Promise<ExistingObject[]>;
  signParts(
    target: UploadTarget,
    uploadId: string,
    key: string,
    partNumbers: number[],
  ): Promise<{ urls: Record<string, string>; expiresAt: string }>;
  listParts(target: UploadTarget, uploadId: string, key: string): Promise<UploadedPart[]>;
  complete(
    target: UploadTarget,
    uploadId: string,
    key: string,
    parts: { partNumber: number; etag: string }[],
    /** The file's size, for the audit record. */
    size?: number,
  ): Promise<void>;
  /** The outcome of a finished drop, for the audit log (best effort: a failure is not the user's problem). */
  report?(target: UploadTarget, report: UploadReport): Promise<void>;
  abort(target: UploadTarget, uploadId: string, key: string): Promise<void>;
  /**
   * The body is a Blob (a file or a slice of one), which Chromium streams from disk, or the bytes of a small
   * file already read to hash it.
   */
  put(
    url: string,
    body: Blob | Uint8Array<ArrayBuffer>,
    headers: Record<string, string>,
    onProgress: (loaded: number) => void,
    signal: AbortSignal,
  ): Promise<PutResult>;
  /**
   * A POST form to the store: `fields` in order, then the file. Without it the engine asks for PUTs only.
   * The ETag comes from the answer's XML (success_action_status 201) or its header.
   */
  postForm?(
    url: string,
    fields: Record<string, string>,
    body: Blob | Uint8Array<ArrayBuffer>,
    signal: AbortSignal,
  ): Promise<PutResult>;
  /** The protocol ("h2", "http/1.1"; "" when hidden) the store answered this URL's origin with, if seen. */
  protocol?(url: string): string | undefined;
  /** Base64 MD5 of a file, a slice of one or bytes (the Content-MD5 header); rejects when it cannot be read. */
  md5(body: Blob | Uint8Array<ArrayBuffer>): Promise<string>;
  /** The MD5 of a file and, with `keep`, the bytes read for it (off the page's main thread, where it can). */
  digest?(body: Blob, keep: boolean): Promise<{ md5: string; bytes: Uint8Array<ArrayBuffer> | null }>;
}

/** What is kept in the browser (IndexedDB) so a multipart upload can be resumed after a reload. */
export interface ResumeRecord {
  uploadId: string;
  target: UploadTarget;
  key: string;
  partSize: number;
  partCount: number;
  contentType: string | null;
  file: { name: string; size: number; lastModified: number; path: string };
  startedAt: number;
}

export interface ResumeStore {
  save(r: ResumeRecord): Promise<void>;
  remove(uploadId: string): Promise<void>;
  all(): Promise<ResumeRecord[]>;
}

/** "identical": skip the files whose bytes the store already holds, send the others over the old ones. */
export type ConflictAction = "overwrite" | "skip" | "rename" | "identical";
/** Asked once per existing key; `all` applies the answer to the remaining conflicts of the same drop. */
export type ConflictResolver = (
  key: string,
  remaining: number,
) => Promise<{ action: ConflictAction; all: boolean } | null>;
