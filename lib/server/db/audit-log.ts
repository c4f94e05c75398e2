import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "./index";
import type { AuditLogTable } from "./schema";

export type AuditEntry = Omit<AuditLogTable, "id" | "created_at">;

/** Append-only: there is no update or delete in this module. */
export async function appendAudit(entry: AuditEntry): Promise<void> {
  await (
    await db()
  )
    .insertInto("audit_log")
    .values({ ...entry, id: randomUUID(), created_at: Date.now() })
    .execute();
}
