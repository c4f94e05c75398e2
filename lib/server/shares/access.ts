import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Operation } from "@/lib/access/operations";
import { readCookie, type SessionUser } from "../auth/session";
import { hashToken } from "../auth/tokens";
import { masterKey } from "../crypto/master-key";
import { findShareByTokenHash, type ShareRow } from "../db/shares";
import { findUserById } from "../db/users";
import { AppError } from "../http/app-error";

// How a public share-page call finds its share: the token in the address (only its hash is stored), the
// share's state (revoked, expired, used up), and whether this browser has unlocked it (the access code, or
// being the one visitor of a single-use share): a cookie bound to the share and to its current code.

export interface ShareAccess {
  row: ShareRow;
  /** The share's creator: the call acts with their access to the connection. */
  creator: SessionUser;
  unlocked: boolean;
}

const UNLOCK_HOURS = 12;

function unlockKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey().key, "", "obs-bucket-manager share unlock", 32));
}

/** Cookie name per share: several shares open in one browser do not overwrite each other. */
export const unlockCookieName = (row: ShareRow) => `obm_share_${row.id.replaceAll("-", "").slice(0, 16)}`;

function mac(row: ShareRow, until: number): string {
  // Bound to the code in force: changing the code locks out everyone who had the old one.
  return createHmac("sha256", unlockKey())
    .update(`${row.id}\n${row.code_hash ?? "-"}\n${until}`)
    .digest("base64url");
}

/** The Set-Cookie value that keeps this share unlocked in this browser (at most 12 hours, never past it). */
export function unlockCookie(row: ShareRow, secure: boolean, now = Date.now()): string {
  const until = Math.min(row.expires_at, now + UNLOCK_HOURS * 3600_000);
  const value = `${until}.${mac(row, until)}`;
  const maxAge = Math.max(0, Math.floor((until - now) / 1000));
  return [
    `${unlockCookieName(row)}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAge}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

function hasUnlock(row: ShareRow, cookieHeader: string | null, now: number): boolean {
  const value = readCookie(cookieHeader, unlockCookieName(row));
  if (!value) return false;
  const [untilText, sig] = value.split(".");
  const until = Number(untilText);
  if (!Number.isSafeInteger(until) || until <= now || !sig) return false;
  const want = Buffer.from(mac(row, until));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The share a public call names, or the reason it no longer works: 404 for an address that was never a
 * share (or one of the other kind), 410 for one that was revoked, expired or used up, or whose creator can
 * no longer reach what it shows.
 */
export async function openShare(token: string, op: Operation, req: Request): Promise<ShareAccess> {
  const kind = op.share?.kind;
  const row = await findShareByTokenHash(hashToken(token));
  if (!row || row.kind !== kind) {
    throw new AppError(
      "not_found",
      kind === "upload"
        ? "There is no upload request at this address. Check the link you were sent."
        : "There is nothing shared at this address. Check the link you were sent.",
    );
  }
  const now = Date.now();
  if (row.revoked_at !== null) {
    throw new AppError(
      "gone",
      kind === "upload"
        ? "This upload request was closed by its owner: it takes no more files."
        : "The owner stopped sharing this.",
      { details: { reason: kind === "upload" ? "closed" : "revoked" } },
    );
  }
  if (row.expires_at <= now) {
    throw new AppError(
      "gone",
      `This link expired on ${dateOf(row.expires_at)}. Ask its owner for a new one.`,
      {
        details: { reason: "expired", expiredAt: new Date(row.expires_at).toISOString() },
      },
    );
  }
  const creatorRow = await findUserById(row.user_id);
  if (!creatorRow) throw shareBroken();
  const unlocked = hasUnlock(row, req.headers.get("cookie"), now) || (!row.code_hash && !row.single_use);
  if (row.single_use && row.used_at !== null && !unlocked) {
    throw new AppError(
      "gone",
      "This link could be opened once, and it has been. Ask its owner for a new one.",
      {
        details: { reason: "used" },
      },
    );
  }
  if (!unlocked && !op.share?.whileLocked) {
    throw new AppError("forbidden", "Enter the access code first.", { details: { reason: "locked" } });
  }
  return {
    row,
    creator: {
      sessionId: "",
      userId: creatorRow.id,
      username: creatorRow.username,
      role: creatorRow.role,
      authSource: "local",
    },
    unlocked,
  };
}

/** Its creator lost access to what it shows (or the connection is gone): a share never reaches further. */
export function shareBroken(): AppError {
  return new AppError(
    "gone",
    "This link no longer works: the person who shared it can no longer reach these files. Ask them for a new one.",
    { details: { reason: "creator" } },
  );
}
