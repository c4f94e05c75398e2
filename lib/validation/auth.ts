import { z } from "zod";

// Shared by the forms and the routes: one definition of what a username and a password may be.
export const usernameSchema = z
  .string({ error: "is required" })
  .trim()
  .min(3, { error: "must be at least 3 characters" })
  .max(64, { error: "must be at most 64 characters" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, {
    error: "may contain only letters, digits and . _ @ - (starting with a letter or digit)",
  });

export const PASSWORD_MIN = 10;
export const passwordSchema = z
  .string({ error: "is required" })
  .min(PASSWORD_MIN, { error: `must be at least ${PASSWORD_MIN} characters` })
  .max(256, { error: "must be at most 256 characters" });

export const credentialsSchema = z.object({ username: usernameSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;

// Login accepts any non-empty string: refusing an old password for today's length rule would lock people out.
export const loginSchema = z.object({
  username: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(256),
  password: z.string({ error: "is required" }).min(1, { error: "is required" }).max(1024),
});

export const roleSchema = z.enum(["admin", "user"]);

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
});

export const sessionResponseSchema = z.object({
  authenticated: z.boolean(),
  setupRequired: z.boolean(),
  user: sessionUserSchema.nullable(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const sessionInfoSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  address: z.string().nullable(),
});
export const sessionListSchema = z.object({ sessions: z.array(sessionInfoSchema) });

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: "is required" }).min(1, { error: "is required" }).max(1024),
  newPassword: passwordSchema,
});
