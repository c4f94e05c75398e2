import "server-only";
import { sql } from "kysely";
import { db } from "./index";
import type { LoginThrottleTable } from "./schema";

export type ThrottleRow = LoginThrottleTable;

export async function findThrottle(keys: string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return [];
  return (await db()).selectFrom("login_throttle").selectAll().where("key", "in", keys).execute();
}

/**
 * Counts one failure for `key` in a single upsert, so concurrent attempts cannot under-count. A window older
 * than `windowMs` starts over; reaching `max` failures locks the key for `windowMs`.
 */
export async function incrementFailures(
  key: string,
  max: number,
  now: number,
  windowMs: number,
): Promise<void> {
  const stale = sql<boolean>`login_throttle.window_started_at <= ${now - windowMs}`;
  const next = sql<number>`case when ${stale} then 1 else login_throttle.failures + 1 end`;
  await (
    await db()
  )
    .insertInto("login_throttle")
    .values({ key, failures: 1, window_started_at: now, locked_until: max <= 1 ? now + windowMs : 0 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: next,
        window_started_at: sql<number>`case when ${stale} then ${now} else login_throttle.window_started_at end`,
        locked_until: sql<number>`case when ${next} >= ${max} then ${now + windowMs} else login_throttle.locked_until end`,
      }),
    )
    .execute();
}

export async function clearThrottle(key: string): Promise<void> {
  await (await db()).deleteFrom("login_throttle").where("key", "=", key).execute();
}
