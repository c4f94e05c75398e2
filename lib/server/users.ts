import "server-only";
import type { z } from "zod";
import type { createUserSchema, User } from "@/lib/validation/users";
import { AppError } from "./http/app-error";
import { log } from "./log";
import { deleteUserKeepingAnAdmin, findUserById, insertUser, listUsers, type PublicUser } from "./db/users";
import { hashPassword } from "./auth/password";
import type { SessionUser } from "./auth/session";

function toUser(u: PublicUser): User {
  return { id: u.id, username: u.username, role: u.role, createdAt: new Date(u.created_at).toISOString() };
}

export async function listAllUsers(): Promise<User[]> {
  return (await listUsers()).map(toUser);
}

export async function createUser(admin: SessionUser, input: z.infer<typeof createUserSchema>): Promise<User> {
  const user = await insertUser({
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
  });
  if (!user) throw new AppError("conflict", `username: "${input.username}" is already taken`);
  log.info("user created", { by: admin.userId, userId: user.id, role: user.role });
  return toUser(user);
}

export async function removeUser(admin: SessionUser, id: string): Promise<void> {
  const user = await findUserById(id);
  if (!user) throw new AppError("not_found", "No such user.");
  if (user.id === admin.userId) {
    throw new AppError("conflict", "You cannot remove your own account; another administrator can.");
  }
  const outcome = await deleteUserKeepingAnAdmin(id);
  if (outcome === "missing") throw new AppError("not_found", "No such user.");
  if (outcome === "last-admin") {
    throw new AppError(
      "conflict",
      "This is the last administrator; make another user an administrator first.",
    );
  }
  log.info("user removed", { by: admin.userId, userId: id });
}
