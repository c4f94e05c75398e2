import "server-only";
import { Readable, Transform } from "node:stream";
import { env } from "../env";
import { AppError } from "../http/app-error";
import { currentRequest } from "../request-context";

// What one store may cost this server, whoever runs it: any signed-in user can point a connection at a
// store of their own, so a store that never stops listing, answers 200 MB, or sends one byte at a time must
// not hold the server or the other users. Applied to every SDK call in client.ts.

/** Too large for what we ask a store (listings of at most 1,000 entries, small XML answers). */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`store response larger than ${limit} bytes`);
    this.name = "ResponseTooLarge";
  }
}

/** Passes at most `limit` bytes of a response body, then fails the read. */
export function capBody(body: Readable, limit: number): Readable {
  let seen = 0;
  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(new ResponseTooLargeError(limit));
      else done(null, chunk);
    },
  });
  body.on("error", (err) => out.destroy(err));
  out.on("close", () => {
    if (!body.destroyed) body.destroy();
  });
  return body.pipe(out);
}

interface Slots {
  active: number;
  waiting: (() => void)[];
}
const perUser = new Map<string, Slots>();

/**
 * Runs one store call in one of the user's slots (S3_CALLS_PER_USER at a time): one user's slow store fills
 * their own slots, not the server's sockets or other users' turns. Waiting for a slot counts toward the
 * call's deadline.
 */
export async function inUserSlot<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const userId = currentRequest()?.userId;
  if (!userId) return fn();
  const limit = env().S3_CALLS_PER_USER;
  let slots = perUser.get(userId);
  if (!slots) {
    slots = { active: 0, waiting: [] };
    perUser.set(userId, slots);
  }
  const s = slots;
  if (s.active >= limit) {
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal.removeEventListener("abort", giveUp);
        resolve();
      };
      const giveUp = () => {
        s.waiting.splice(s.waiting.indexOf(go), 1);
        reject(
          new AppError(
            "too_many_requests",
            "Too many requests to your stores are still running; wait for them to finish and try again.",
            { details: { storeCode: "TooManyStoreCalls" } },
          ),
        );
      };
      signal.addEventListener("abort", giveUp, { once: true });
      s.waiting.push(go);
    });
  }
  s.active++;
  try {
    return await fn();
  } finally {
    s.active--;
    const next = s.waiting.shift();
    if (next) next();
    else if (s.active === 0) perUser.delete(userId);
  }
}

/** The signal a store call runs under: the browser's request (when it goes away) and the call's deadline. */
export function callSignal(extra?: AbortSignal | null): { signal: AbortSignal; deadlineMs: number } {
  const deadlineMs = env().S3_CALL_DEADLINE_SECONDS * 1000;
  const signals = [AbortSignal.timeout(deadlineMs)];
  const scope = currentRequest();
  if (scope) signals.push(scope.signal);
  if (extra) signals.push(extra);
  return { signal: AbortSignal.any(signals), deadlineMs };
}
