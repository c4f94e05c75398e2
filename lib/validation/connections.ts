import { z } from "zod";
import { idSchema } from "./ids";
import { accessSchema } from "@/lib/access/scope";

export const providerSchema = z.enum(["obs", "s3"]);
export const addressingSchema = z.enum(["virtual", "path"]);

export const connectionNameSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "is required" })
  .max(64, { error: "must be at most 64 characters" })
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), { error: "must not contain control characters" });

export const regionSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "is required" })
  .max(64, { error: "must be at most 64 characters" })
  .regex(/^[a-z0-9][a-z0-9-]*$/, {
    error: "may contain only lowercase letters, digits and -, like cn-north-4",
  });

export const endpointSchema = z
  .string()
  .trim()
  .max(512, { error: "must be at most 512 characters" })
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (
          (u.protocol === "https:" || u.protocol === "http:") &&
          !u.username &&
          !u.password &&
          !u.search &&
          !u.hash
        );
      } catch {
        return false;
      }
    },
    {
      error:
        "must be an http(s) URL such as https://obs.cn-north-4.myhuaweicloud.com (no credentials, query or #)",
    },
  )
  .transform((v) => v.replace(/\/+$/, ""));

export const accessKeyIdSchema = z
  .string({ error: "is required" })
  .trim()
  .min(3, { error: "must be at least 3 characters" })
  .max(128, { error: "must be at most 128 characters" })
  .regex(/^[A-Za-z0-9+/=._-]+$/, { error: "may contain only letters, digits and + / = . _ -" });

export const secretAccessKeySchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "is required" })
  .max(256, { error: "must be at most 256 characters" })
  .regex(/^\S+$/, { error: "must not contain spaces" });

export const sessionTokenSchema = z
  .string()
  .trim()
  .max(8192, { error: "must be at most 8192 characters" })
  .regex(/^\S*$/, { error: "must not contain spaces" });

const connectionFields = {
  name: connectionNameSchema,
  provider: providerSchema,
  region: regionSchema,
  /** Optional for OBS (derived from the region), required for other S3-compatible stores. */
  endpoint: endpointSchema.optional(),
  addressing: addressingSchema.optional(),
  isDefault: z.boolean().optional(),
};

function endpointRequiredForS3(v: { provider: "obs" | "s3"; endpoint?: string }, ctx: z.RefinementCtx) {
  if (v.provider === "s3" && !v.endpoint) {
    ctx.addIssue({ code: "custom", path: ["endpoint"], message: "is required for an S3-compatible store" });
  }
}

export const createConnectionSchema = z
  .object({
    ...connectionFields,
    accessKeyId: accessKeyIdSchema,
    secretAccessKey: secretAccessKeySchema,
    sessionToken: sessionTokenSchema.optional(),
    sessionTokenExpiresAt: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).optional(),
  })
  .superRefine(endpointRequiredForS3);
export type CreateConnection = z.infer<typeof createConnectionSchema>;

/**
 * Changing the access key id requires the secret again, so a stored secret is never paired with another
 * key id by mistake. The secret itself is never sent back, so "unchanged" is simply leaving it out.
 */
export const updateConnectionSchema = z
  .object({
    name: connectionNameSchema.optional(),
    region: regionSchema.optional(),
    endpoint: endpointSchema.nullable().optional(),
    addressing: addressingSchema.optional(),
    isDefault: z.boolean().optional(),
    accessKeyId: accessKeyIdSchema.optional(),
    secretAccessKey: secretAccessKeySchema.optional(),
    sessionToken: sessionTokenSchema.nullable().optional(),
    sessionTokenExpiresAt: z.iso
      .datetime({ offset: true, error: "must be an ISO date-time" })
      .nullable()
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.accessKeyId !== undefined && v.secretAccessKey === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["secretAccessKey"],
        message: "is required when the access key ID changes",
      });
    }
  });
export type UpdateConnection = z.infer<typeof updateConnectionSchema>;

export const importConnectionSchema = z.object({
  /** The text of a credentials.csv file as downloaded from Huawei's console (or AWS's IAM console). */
  csv: z.string({ error: "is required" }).max(64 * 1024, {
    error: "must be at most 64 KiB: a credentials.csv file is well under 1 KiB",
  }),
  name: connectionNameSchema.optional(),
  provider: providerSchema.default("obs"),
  region: regionSchema,
  endpoint: endpointSchema.optional(),
  addressing: addressingSchema.optional(),
});

export const testConnectionSchema = z.object({
  /** When named, the test also writes and deletes a small probe object in this bucket. */
  bucket: z
    .string()
    .trim()
    .max(63, { error: "must be at most 63 characters" })
    .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, { error: "is not a valid bucket name" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export const connectionTestSchema = z.object({
  ok: z.boolean(),
  at: z.string(),
  code: z.string().nullable(),
  message: z.string(),
  steps: z
    .array(
      z.object({
        step: z.enum(["list-buckets", "put-object", "delete-object"]),
        ok: z.boolean(),
        code: z.string().nullable(),
        message: z.string(),
      }),
    )
    .optional(),
  bucketCount: z.number().int().nullable().optional(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

/** What the API returns for a connection. There is deliberately no field that could hold a secret. */
export const connectionSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  provider: providerSchema,
  region: z.string(),
  endpoint: z.string(),
  addressing: addressingSchema,
  accessKeyIdMasked: z.string(),
  hasSecret: z.boolean(),
  hasSessionToken: z.boolean(),
  sessionTokenExpiresAt: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Null for people it is shared with: the last test is the owner's business. */
  lastTest: connectionTestSchema.nullable(),
  owner: z.strictObject({ id: z.string(), username: z.string() }),
  /** How the signed-in user holds it: owner, administrator, or grantee with roles and scopes. */
  access: accessSchema,
});
export type Connection = z.infer<typeof connectionSchema>;
export const connectionListSchema = z.strictObject({ connections: z.array(connectionSchema) });

export const idParamsSchema = z.object({ id: idSchema });

/** AKIA…XYZ1: enough to tell keys apart, too little to use. */
export function maskAccessKeyId(id: string): string {
  if (id.length <= 8) return `${id.slice(0, 2)}…`;
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}
