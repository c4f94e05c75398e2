import { z } from "zod";

/**
 * The ids this server hands out (UUIDs, random tokens): letters, digits, "-" and "_". Anything else in a
 * path or query is refused before it reaches the database (PostgreSQL, for one, refuses NUL in text).
 */
export const idSchema = z
  .string({ error: "is required" })
  .min(1, { error: "is required" })
  .max(100, { error: "must be at most 100 characters" })
  .regex(/^[A-Za-z0-9_-]+$/, { error: "is not an id" });

/** Text that never holds NUL, which no store key and no database text may hold. */
export const noNul = (s: string) => !s.includes("\u0000");
export const NO_NUL = { error: "must not contain NUL characters" } as const;
