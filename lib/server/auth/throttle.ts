import "server-only";
import { env } from "../env";
import { clearThrottle, findThrottle, incrementFailures } from "../db/login-throttle";

export interface ThrottleKeys {
  account: string;
  address: string | null;
}

function keysOf(k: ThrottleKeys): string[] {
  const keys = [`account:${k.account.toLowerCase()}`];
  if (k.address) keys.push(`address:${k.address}`);
  return keys;
}

/**
 * Seconds until a login may be tried again for this account or address, or 0. Counted for every username
 * tried, existing or not, so the answer never tells which accounts exist.
 */
export async function loginRetryAfter(k: ThrottleKeys): Promise<number> {
  const now = Date.now();
  const rows = await findThrottle(keysOf(k));
  const until = Math.max(0, ...rows.map((r) => r.locked_until));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

export async function recordLoginFailure(k: ThrottleKeys): Promise<void> {
  const e = env();
  const now = Date.now();
  for (const key of keysOf(k)) {
    const max = key.startsWith("account:")
      ? e.LOGIN_MAX_FAILURES_PER_ACCOUNT
      : e.LOGIN_MAX_FAILURES_PER_ADDRESS;
    await incrementFailures(key, max, now, e.LOGIN_THROTTLE_WINDOW_SECONDS * 1000);
  }
}

export async function recordLoginSuccess(k: ThrottleKeys): Promise<void> {
  // Only the account's counter is cleared: one valid login must not reset an address that is guessing others.
  await clearThrottle(`account:${k.account.toLowerCase()}`);
}
