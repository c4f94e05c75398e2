import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { db } from "./index";
import type { UsersTable } from "./schema";

export type UserRow = UsersTable;
export type PublicUser = Pick<UserRow, "id" | "username" | "role" | "created_at">;

const publicColumns = ["id", "username", "role", "created_at"] as const;

export async function countUsers(): Promise<number> {
  const row = await (
    await db()
  )
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByUsername(username: string): Promise<UserRow | undefined> {
  return (await db())
    .selectFrom("users")
    .selectAll()
    .where(sql<string>`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst();
}

export async function findUserById(id: string): Promise<PublicUser | undefined> {
  return (await db()).selectFrom("users").select(publicColumns).where("id", "=", id).executeTakeFirst();
}

export async function listUsers(): Promise<PublicUser[]> {
  return (await db()).selectFrom("users").select(publicColumns).orderBy("created_at").execute();
}

/** Inserts a user; returns undefined when the name is taken (case-insensitively). */
export async function insertUser(input: {
  username: string;
  passwordHash: string;
  role: UserRow["role"];
}): Promise<PublicUser | undefined> {
  const now = Date.now();
  const row: UserRow = {
    id: randomUUID(),
    username: input.username,
    password_hash: input.passwordHash,
    role: input.role,
    created_at: now,
    updated_at: now,
  };
  const result = await (
    await db()
  )
    .insertInto("users")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
  return { id: row.id, username: row.username, role: row.role, created_at: row.created_at };
}

/**
 * Inserts the first admin only while the table is empty, in one statement, so two concurrent setup requests
 * cannot both create an admin.
 */
export async function insertFirstAdmin(input: {
  username: string;
  passwordHash: string;
}): Promise<PublicUser | undefined> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("users").select("id").limit(1).executeTakeFirst();
    if (existing) return undefined;
    const now = Date.now();
    const row: UserRow = {
      id: randomUUID(),
      username: input.username,
      password_hash: input.passwordHash,
      role: "admin",
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto("users").values(row).execute();
    return { id: row.id, username: row.username, role: row.role, created_at: row.created_at };
  });
}

export async function updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
  await (
    await db()
  )
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: Date.now() })
    .where("id", "=", userId)
    .execute();
}

export async function passwordHashOf(userId: string): Promise<string | undefined> {
  const row = await (
    await db()
  )
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.password_hash;
}

/** Deletes a user (their sessions and data go with them through foreign keys); false when absent. */
export async function deleteUser(id: string): Promise<boolean> {
  const result = await (await db()).deleteFrom("users").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countAdmins(): Promise<number> {
  const row = await (
    await db()
  )
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
