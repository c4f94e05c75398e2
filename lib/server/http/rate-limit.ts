import "server-only";
import { placeOf } from "../auth/throttle";
import { env } from "../env";
import { AppError } from "./app-error";

// Public share pages answer anyone, so their calls are limited per place (an address, or an IPv6 /64):
// PUBLIC_CALLS_PER_MINUTE in a fixed one-minute window. Counted in this process (a load balancer spreads a
// place over the instances: the limit is then per instance, which bounds abuse all the same).

const windows = new Map<string, { start: number; count: number }>();

export function limitPublicCall(address: string | null, now = Date.now()): void {
  const place = placeOf(address) ?? "-";
  const limit = env().PUBLIC_CALLS_PER_MINUTE;
  let w = windows.get(place);
  if (!w || now - w.start >= 60_000) {
    if (windows.size >= 100_000) windows.clear(); // bounded: a flood of addresses costs a reset, not memory
    w = { start: now, count: 0 };
    windows.set(place, w);
  }
  w.count++;
  if (w.count > limit) {
    const seconds = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
    throw new AppError(
      "too_many_requests",
      `Too many requests from your network. Try again in ${seconds} seconds.`,
      {
        headers: { "retry-after": String(seconds) },
      },
    );
  }
}
