import "server-only";

/** The error codes our API answers with, and the HTTP status each one maps to. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  cross_site: 403,
  not_found: 404,
  gone: 410,
  misdirected: 421,
  conflict: 409,
  setup_done: 409,
  too_many_requests: 429,
  store_failed: 502,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * The one error type the API raises on purpose. `message` is safe to show a user; `cause` is for the log
 * only (and passes through the logger's redaction).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { cause?: unknown; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.headers = opts.headers ?? {};
    this.details = opts.details;
  }
}
