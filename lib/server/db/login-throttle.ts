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
 * Counts one attempt for `key` in a single upsert and returns the count: concurrent attempts each get
 * their own number, so no more of them reach the password check than the limit allows. A window older
 * than `windowMs` starts over.
 */
export async function countAttempt(key: string, now: number, windowMs: number): Promise<number> {
  const stale = sql<boolean>`login_throttle.window_started_at <= ${now - windowMs}`;
  const row = await (
    await db()
  )
    .insertInto("login_throttle")
    .values({ key, failures: 1, window_started_at: now, locked_until: 0 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: sql<number>`case when ${stale} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql<number>`case when ${stale} then ${now} else login_throttle.window_started_at end`,
      }),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/** Locks a key until `until` (never shortening a longer lock). */
export async function lockKey(key: string, until: number): Promise<void> {
  await (
    await db()
  )
    .updateTable("login_throttle")
    .set({ locked_until: sql<number>`case when locked_until > ${until} then locked_until else ${until} end` })
    .where("key", "=", key)
    .execute();
}

export async function clearThrottle(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await (await db()).deleteFrom("login_throttle").where("key", "in", keys).execute();
}

export async function isKnownPlace(account: string, address: string): Promise<boolean> {
  const row = await (
    await db()
  )
    .selectFrom("login_places")
    .select("last_at")
    .where("account", "=", account)
    .where("address", "=", address)
    .executeTakeFirst();
  return row !== undefined;
}

/** Remembers a place an account signed in from (the ten most recent are kept). */
export async function rememberPlace(account: string, address: string, now: number): Promise<void> {
  const kysely = await db();
  await kysely
    .insertInto("login_places")
    .values({ account, address, last_at: now })
    .onConflict((oc) => oc.columns(["account", "address"]).doUpdateSet({ last_at: now }))
    .execute();
  const old = await kysely
    .selectFrom("login_places")
    .select("address")
    .where("account", "=", account)
    .orderBy("last_at", "desc")
    .offset(10)
    .limit(1000)
    .execute();
  if (old.length > 0) {
    await kysely
      .deleteFrom("login_places")
      .where("account", "=", account)
      .where(
        "address",
        "in",
        old.map((o) => o.address),
      )
      .execute();
  }
}

/** Takes back one counted attempt that turned out right (a shared counter that must count only failures). */
export async function forgiveAttempt(key: string): Promise<void> {
  await (
    await db()
  )
    .updateTable("login_throttle")
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where("key", "=", key)
    .execute();
}
