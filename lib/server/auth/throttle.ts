import "server-only";
import net from "node:net";
import { env } from "../env";
import {
  clearThrottle,
  countAttempt,
  findThrottle,
  isKnownPlace,
  lockKey,
  rememberPlace,
} from "../db/login-throttle";

// Sign-in (and password change) throttling, in the database so that every instance counts the same:
// - an account tried from one place (address, or IPv6 /64) is locked after LOGIN_MAX_FAILURES_PER_ACCOUNT
//   failures for the window: a guesser locks only themselves, never the owner elsewhere;
// - a place guessing many accounts is locked after LOGIN_MAX_FAILURES_PER_ADDRESS failures;
// - an account guessed from many places slows down: past LOGIN_ACCOUNT_BACKOFF_AFTER failures in the
//   window, each attempt waits 1, 2, 4 … seconds, at most LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS, except from
//   a place the account signed in from before (the owner's usual place keeps working).
// Every attempt is counted before the password is checked, in one statement per key, so parallel guesses
// get no more password checks than the limits allow.

export interface ThrottleKeys {
  account: string;
  address: string | null;
}

/** The place a request comes from: an IPv4 address, or the /64 of an IPv6 one (a host owns a whole /64). */
export function placeOf(address: string | null): string | null {
  if (!address) return null;
  const a = address.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1]!;
  if (net.isIPv4(a)) return a;
  if (!net.isIPv6(a)) return a.slice(0, 100);
  const [head = "", tail = ""] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || "0", 16).toString(16))
    .join(":")}::/64`;
}

function keysOf(k: ThrottleKeys) {
  const account = k.account.toLowerCase().slice(0, 256);
  const place = placeOf(k.address);
  return {
    account,
    place,
    pair: `pair:${account}|${place ?? "-"}`,
    address: place ? `address:${place}` : null,
    accountWide: `account:${account}`,
  };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Counts an attempt and says whether it may go on to the password check: 0, or the seconds to wait. Asked
 * for every username tried, known or not, so the answer never tells which accounts exist.
 */
export async function beginAttempt(k: ThrottleKeys): Promise<number> {
  const e = env();
  const now = Date.now();
  const windowMs = e.LOGIN_THROTTLE_WINDOW_SECONDS * 1000;
  const keys = keysOf(k);
  const known = keys.place ? await isKnownPlace(keys.account, keys.place) : false;
  const rows = await findThrottle([keys.pair, ...(keys.address ? [keys.address] : []), keys.accountWide]);
  const waits = rows
    .filter((r) => r.locked_until > now && !(known && r.key === keys.accountWide))
    .map((r) => r.locked_until - now);
  if (waits.length > 0) return seconds(Math.max(...waits));

  const pair = await countAttempt(keys.pair, now, windowMs);
  if (pair > e.LOGIN_MAX_FAILURES_PER_ACCOUNT) {
    await lockKey(keys.pair, now + windowMs);
    return seconds(windowMs);
  }
  if (keys.address) {
    const fromPlace = await countAttempt(keys.address, now, windowMs);
    if (fromPlace > e.LOGIN_MAX_FAILURES_PER_ADDRESS) {
      await lockKey(keys.address, now + windowMs);
      return seconds(windowMs);
    }
  }
  const accountWide = await countAttempt(keys.accountWide, now, windowMs);
  const over = accountWide - e.LOGIN_ACCOUNT_BACKOFF_AFTER;
  if (over > 0 && !known) {
    const backoff = Math.min(2 ** Math.min(over - 1, 20) * 1000, e.LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS * 1000);
    await lockKey(keys.accountWide, now + backoff);
  }
  return 0;
}

/** The right password: this place's and the account's counts start over, and the place is remembered. */
export async function attemptSucceeded(k: ThrottleKeys): Promise<void> {
  const keys = keysOf(k);
  // The address's own count is not cleared: one good sign-in must not reset a place guessing others.
  await clearThrottle([keys.pair, keys.accountWide]);
  if (keys.place) await rememberPlace(keys.account, keys.place, Date.now());
}
