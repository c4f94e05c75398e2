import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { db, exclusive, lockRows } from "./index";
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
    auth_source: "local",
    oidc_issuer: null,
    oidc_subject: null,
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
    await exclusive(trx, "obm.first-admin");
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
      auth_source: "local",
      oidc_issuer: null,
      oidc_subject: null,
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

/**
 * The user a provider's (issuer, subject) signs in as, created on first sign-in. Found by identity, never
 * by name: the username is the provider's, made unique here ("alice-2") when a local "alice" exists. The
 * role follows the provider's groups at every sign-in.
 */
export async function upsertOidcUser(input: {
  issuer: string;
  subject: string;
  username: string;
  role: UserRow["role"];
}): Promise<PublicUser & { created: boolean }> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    await exclusive(trx, "obm.users");
    const existing = await trx
      .selectFrom("users")
      .select(publicColumns)
      .where("oidc_issuer", "=", input.issuer)
      .where("oidc_subject", "=", input.subject)
      .executeTakeFirst();
    const now = Date.now();
    if (existing) {
      if (existing.role !== input.role) {
        await trx
          .updateTable("users")
          .set({ role: input.role, updated_at: now })
          .where("id", "=", existing.id)
          .execute();
      }
      return { ...existing, role: input.role, created: false };
    }
    let username = input.username;
    for (let n = 2; ; n++) {
      const taken = await trx
        .selectFrom("users")
        .select("id")
        .where(sql<string>`lower(username)`, "=", username.toLowerCase())
        .executeTakeFirst();
      if (!taken) break;
      username = `${input.username}-${n}`;
    }
    const row: UserRow = {
      id: randomUUID(),
      username,
      password_hash: "",
      role: input.role,
      created_at: now,
      updated_at: now,
      auth_source: "oidc",
      oidc_issuer: input.issuer,
      oidc_subject: input.subject,
    };
    await trx.insertInto("users").values(row).execute();
    return { id: row.id, username, role: row.role, created_at: now, created: true };
  });
}

/** Users of one provider identity's subject (back-channel logout names a subject). */
export async function userIdByOidc(issuer: string, subject: string): Promise<string | undefined> {
  const row = await (
    await db()
  )
    .selectFrom("users")
    .select("id")
    .where("oidc_issuer", "=", issuer)
    .where("oidc_subject", "=", subject)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Deletes a user unless they are the last administrator, deciding both in one transaction: two
 * administrators removing each other at the same moment cannot leave none. "last-admin" when refused.
 */
export async function deleteUserKeepingAnAdmin(id: string): Promise<"deleted" | "missing" | "last-admin"> {
  const kysely = await db();
  return kysely.transaction().execute(async (trx) => {
    const user = await trx.selectFrom("users").select(["id", "role"]).where("id", "=", id).executeTakeFirst();
    if (!user) return "missing";
    if (user.role === "admin") {
      // Every administrator row locked: a concurrent removal waits and then counts what is left.
      const admins = await lockRows(
        trx.selectFrom("users").select("id").where("role", "=", "admin"),
      ).execute();
      if (admins.length <= 1) return "last-admin";
    }
    await trx.deleteFrom("users").where("id", "=", id).execute();
    return "deleted";
  });
}
