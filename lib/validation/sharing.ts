import { z } from "zod";
import { idSchema } from "./ids";
import { roleSchema } from "@/lib/access/roles";
import { scopeSchema } from "@/lib/access/scope";

// Sharing an access key: grants to users and teams, and the teams administrators keep.

export const granteeSchema = z.object({
  type: z.enum(["user", "team"], { error: 'must be "user" or "team"' }),
  id: idSchema,
});

export const createGrantSchema = z.object({ grantee: granteeSchema, role: roleSchema, scope: scopeSchema });
export type CreateGrant = z.infer<typeof createGrantSchema>;

export const updateGrantSchema = z
  .object({ role: roleSchema.optional(), scope: scopeSchema.optional() })
  .refine((v) => v.role !== undefined || v.scope !== undefined, {
    path: ["role"],
    error: "give a role or a scope to change",
  });

export const grantSchema = z.strictObject({
  id: z.string(),
  connectionId: z.string(),
  grantee: z.strictObject({ type: z.enum(["user", "team"]), id: z.string(), name: z.string() }),
  role: roleSchema,
  scope: scopeSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Grant = z.infer<typeof grantSchema>;
export const grantListSchema = z.strictObject({ grants: z.array(grantSchema) });

export const grantParamsSchema = z.object({ id: idSchema, grantId: idSchema });

export const teamNameSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "is required" })
  .max(64, { error: "must be at most 64 characters" })
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), { error: "must not contain control characters" });

const memberIdsSchema = z
  .array(idSchema)
  .max(1000, { error: "must list at most 1000 members" })
  .refine((ids) => new Set(ids).size === ids.length, { error: "must not list a member twice" });

export const createTeamSchema = z.object({ name: teamNameSchema, memberIds: memberIdsSchema.default([]) });
export const updateTeamSchema = z
  .object({ name: teamNameSchema.optional(), memberIds: memberIdsSchema.optional() })
  .refine((v) => v.name !== undefined || v.memberIds !== undefined, {
    path: ["name"],
    error: "give a name or members to change",
  });

export const teamSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  members: z.array(z.strictObject({ id: z.string(), username: z.string() })),
  createdAt: z.string(),
});
export type Team = z.infer<typeof teamSchema>;
export const teamListSchema = z.strictObject({ teams: z.array(teamSchema) });

/** Who a key can be shared with: names only. */
export const directorySchema = z.strictObject({
  users: z.array(z.strictObject({ id: z.string(), username: z.string() })),
  teams: z.array(z.strictObject({ id: z.string(), name: z.string() })),
});
export type Directory = z.infer<typeof directorySchema>;
