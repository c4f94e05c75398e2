import "server-only";
import { db } from "./index";
import type { LinksTable } from "./schema";

export type LinkRow = LinksTable;

export async function insertLink(row: LinkRow): Promise<void> {
  await (await db()).insertInto("links").values(row).execute();
}

export async function listLinkRows(userId: string, limit = 500): Promise<LinkRow[]> {
  return (await db())
    .selectFrom("links")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export async function findLinkRow(userId: string, id: string): Promise<LinkRow | undefined> {
  return (await db())
    .selectFrom("links")
    .selectAll()
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function deleteLinkRow(userId: string, id: string): Promise<boolean> {
  const r = await (
    await db()
  )
    .deleteFrom("links")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
