import { z } from "zod";

const time = z.iso.datetime({ offset: true, error: "must be an ISO date-time such as 2026-12-01T00:00:00Z" });

export const auditQuerySchema = z.object({
  user: z.string().max(100).optional(),
  bucket: z.string().max(63).optional(),
  /** An action ("objects.delete") or a family of them ("objects"). */
  action: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z.-]*$/, { error: "must be an action such as objects.delete" })
    .optional(),
  from: time.optional(),
  to: time.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.strictObject({
  id: z.string(),
  at: z.string(),
  userId: z.string(),
  username: z.string(),
  action: z.string(),
  result: z.enum(["ok", "denied", "error"]),
  errorCode: z.string().nullable(),
  address: z.string().nullable(),
  connectionId: z.string().nullable(),
  bucket: z.string().nullable(),
  key: z.string().nullable(),
  prefix: z.string().nullable(),
  count: z.number().nullable(),
  bytes: z.number().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPageSchema = z.strictObject({
  entries: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});
