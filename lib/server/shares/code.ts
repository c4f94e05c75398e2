import "server-only";
import { verifyPassword } from "../auth/password";
import { placeOf } from "../auth/throttle";
import { clearThrottle, countAttempt, findThrottle, forgiveAttempt, lockKey } from "../db/login-throttle";
import type { ShareRow } from "../db/shares";
import { AppError } from "../http/app-error";

// Access codes are short, so guessing is throttled, in the database (every instance counts the same) and
// counted before the code is checked: from one place (an address, or an IPv6 /64) 5 wrong codes lock that
// place out of this share for 15 minutes; 50 wrong codes from anywhere lock the share for 15 minutes. A
// 6-character code then takes years to guess, and one guesser cannot lock out the recipient elsewhere for
// long.

const WINDOW_MS = 15 * 60 * 1000;
const PER_PLACE = 5;
const PER_SHARE = 50;

function tooMany(until: number): AppError {
  const minutes = Math.max(1, Math.ceil((until - Date.now()) / 60_000));
  return new AppError(
    "too_many_requests",
    `Too many wrong access codes. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask the sender for the code.`,
    { headers: { "retry-after": String(minutes * 60) }, details: { retryAfterMinutes: minutes } },
  );
}

export async function checkCode(row: ShareRow, code: string, address: string | null): Promise<void> {
  const now = Date.now();
  const place = placeOf(address) ?? "-";
  const pair = `share:${row.id}|${place}`;
  const whole = `share:${row.id}`;
  const locked = (await findThrottle([pair, whole])).filter((r) => r.locked_until > now);
  if (locked.length > 0) throw tooMany(Math.max(...locked.map((r) => r.locked_until)));
  const [here, all] = [await countAttempt(pair, now, WINDOW_MS), await countAttempt(whole, now, WINDOW_MS)];
  if (here > PER_PLACE) {
    await lockKey(pair, now + WINDOW_MS);
    throw tooMany(now + WINDOW_MS);
  }
  if (all > PER_SHARE) {
    await lockKey(whole, now + WINDOW_MS);
    throw tooMany(now + WINDOW_MS);
  }
  if (!row.code_hash || !(await verifyPassword(row.code_hash, code))) {
    throw new AppError(
      "forbidden",
      "That access code is not right. Check it with the person who sent the link.",
      {
        details: { reason: "code", attemptsLeft: Math.max(0, PER_PLACE - here) },
      },
    );
  }
  await clearThrottle([pair]);
  await forgiveAttempt(whole);
}
