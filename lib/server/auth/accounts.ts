import "server-only";
import type { z } from "zod";
import type { changePasswordSchema, Credentials, loginSchema } from "@/lib/validation/auth";
import { env } from "../env";
import { log } from "../log";
import { AppError } from "../http/app-error";
import {
  countUsers,
  findUserByUsername,
  insertFirstAdmin,
  passwordHashOf,
  updatePasswordHash,
} from "../db/users";
import {
  deleteOtherSessions,
  deleteSessionByTokenHash,
  deleteUserSession,
  listUserSessions,
} from "../db/sessions";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import { createSession, type SessionUser } from "./session";
import { attemptSucceeded, beginAttempt, type ThrottleKeys } from "./throttle";
import { hashToken } from "./tokens";

interface RequestMeta {
  userAgent: string | null;
  address: string | null;
  /** A session cookie the browser already carried: replaced, so a planted token never becomes signed in. */
  previousToken?: string;
}

export interface SignedIn {
  token: string;
  expiresAt: number;
  user: { id: string; username: string; role: "admin" | "user" };
}

export async function setupRequired(): Promise<boolean> {
  return (await countUsers()) === 0;
}

/** Creates the first administrator; refused once any user exists. Signs the new admin in. */
export async function setupFirstAdmin(input: Credentials, meta: RequestMeta): Promise<SignedIn> {
  if (!(await setupRequired())) {
    throw new AppError(
      "setup_done",
      "Setup is already done: sign in, or ask the administrator for an account.",
    );
  }
  const user = await insertFirstAdmin({
    username: input.username,
    passwordHash: await hashPassword(input.password),
  });
  if (!user) {
    throw new AppError(
      "setup_done",
      "Setup is already done: sign in, or ask the administrator for an account.",
    );
  }
  log.info("first administrator created", { userId: user.id });
  const session = await createSession(user.id, meta);
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}

const WRONG = "Wrong username or password.";

/** Counts the attempt before any password is checked, and refuses it when the limits say so. */
async function throttled(keys: ThrottleKeys): Promise<void> {
  const wait = await beginAttempt(keys);
  if (wait > 0) {
    throw new AppError("too_many_requests", `Too many failed attempts. Try again in ${wait} seconds.`, {
      headers: { "retry-after": String(wait) },
      details: { retryAfterSeconds: wait },
    });
  }
}

export async function login(input: z.infer<typeof loginSchema>, meta: RequestMeta): Promise<SignedIn> {
  const keys = { account: input.username, address: meta.address };
  await throttled(keys);
  const user = await findUserByUsername(input.username);
  // Provider users have no password here: the check is run on a dummy so the answer takes the same time.
  const ok =
    user && user.auth_source === "local"
      ? await verifyPassword(user.password_hash, input.password)
      : (await burnPasswordCheck(input.password), false);
  if (!user || !ok || user.auth_source !== "local") {
    log.info("sign-in failed", { address: meta.address });
    throw new AppError("unauthenticated", WRONG);
  }
  // With single sign-on for everyone else, a password here is for administrators only (break-glass).
  if (user.role !== "admin" && env().LOCAL_SIGN_IN === "admins") {
    throw new AppError(
      "forbidden",
      `Sign in with ${env().OIDC_NAME}: passwords here are for administrators.`,
      {
        details: { reason: "sso_only" },
      },
    );
  }
  await attemptSucceeded(keys);
  if (meta.previousToken) await deleteSessionByTokenHash(hashToken(meta.previousToken));
  const session = await createSession(user.id, meta);
  log.info("signed in", { userId: user.id });
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}

export async function changePassword(
  user: SessionUser,
  input: z.infer<typeof changePasswordSchema>,
  address: string | null,
): Promise<{ signedOutSessions: number }> {
  if (user.authSource !== "local") {
    throw new AppError(
      "conflict",
      "Your account signs in through single sign-on: change the password there.",
    );
  }
  // Guessing the current password from a stolen session is throttled like signing in.
  const keys = { account: user.username, address };
  await throttled(keys);
  const current = await passwordHashOf(user.userId);
  if (!current || !(await verifyPassword(current, input.currentPassword))) {
    throw new AppError("validation_failed", "currentPassword: is not your current password");
  }
  await attemptSucceeded(keys);
  await updatePasswordHash(user.userId, await hashPassword(input.newPassword));
  // A changed password ends every other session: whoever knew the old one is signed out.
  const signedOutSessions = await deleteOtherSessions(user.userId, user.sessionId);
  return { signedOutSessions };
}

export async function sessionsOf(user: SessionUser) {
  const rows = await listUserSessions(user.userId);
  const idleMs = env().SESSION_IDLE_TIMEOUT_SECONDS * 1000;
  return rows.map((r) => ({
    id: r.id,
    current: r.id === user.sessionId,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    expiresAt: new Date(Math.min(r.expires_at, r.last_seen_at + idleMs)).toISOString(),
    userAgent: r.user_agent,
    address: r.address,
  }));
}

/** Signs out one of the user's own sessions; another user's session id is "not found". */
export async function revokeSession(user: SessionUser, id: string): Promise<void> {
  if (!(await deleteUserSession(user.userId, id))) throw new AppError("not_found", "No such session.");
}
