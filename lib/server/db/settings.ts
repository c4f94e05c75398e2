import "server-only";
import type { Kysely, Transaction } from "kysely";
import { db } from "./index";
import type { Database } from "./schema";

export type SettingName = "master_key_id";

/** Records `value` unless a value is already there (first writer wins across instances); returns the stored one. */
export async function claimSetting(name: SettingName, value: string): Promise<string> {
  const kysely = await db();
  await kysely
    .insertInto("settings")
    .values({ name, value, updated_at: Date.now() })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await kysely
    .selectFrom("settings")
    .select("value")
    .where("name", "=", name)
    .executeTakeFirstOrThrow();
  return row.value;
}

export async function setSetting(
  name: SettingName,
  value: string,
  trx?: Transaction<Database> | Kysely<Database>,
): Promise<void> {
  await (trx ?? (await db()))
    .insertInto("settings")
    .values({ name, value, updated_at: Date.now() })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value, updated_at: Date.now() }))
    .execute();
}
