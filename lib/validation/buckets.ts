import { z } from "zod";
import { idSchema } from "./ids";

// Bucket names, written once: the create form checks them live and the route refuses them with the same
// words. OBS and S3 share these rules (../shared/design/OBS.md). A bad name is refused, never "fixed".

export type BucketNameRule = "length" | "charset" | "edges" | "ip" | "adjacent";

export const BUCKET_NAME_RULES: Record<BucketNameRule, string> = {
  length: "must be 3 to 63 characters long",
  charset: "may contain only lowercase letters, digits, hyphens (-) and periods (.)",
  edges: "must start and end with a lowercase letter or a digit",
  ip: "must not be an IP address such as 192.168.1.1",
  adjacent: 'must not contain "..", ".-" or "-."',
};

/** The first rule the name breaks, or null. */
export function bucketNameProblem(name: string): BucketNameRule | null {
  if (name.length < 3 || name.length > 63) return "length";
  if (!/^[a-z0-9.-]+$/.test(name)) return "charset";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "edges";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "ip";
  if (/\.\.|\.-|-\./.test(name)) return "adjacent";
  return null;
}

export const bucketNameSchema = z.string({ error: "is required" }).superRefine((name, ctx) => {
  const rule = bucketNameProblem(name);
  if (rule) ctx.addIssue({ code: "custom", message: BUCKET_NAME_RULES[rule], params: { rule } });
});

/** Dots break the store's wildcard TLS certificate in virtual-hosted addressing: warn, do not refuse. */
export function bucketNameWarnings(name: string, addressing: "virtual" | "path"): "dots_virtual_hosted"[] {
  return addressing === "virtual" && name.includes(".") ? ["dots_virtual_hosted"] : [];
}

export const storageClassSchema = z.enum(["STANDARD", "WARM", "COLD", "DEEP_ARCHIVE"]);
export type StorageClass = z.infer<typeof storageClassSchema>;
export const aclSchema = z.enum(["private", "public-read", "public-read-write"]);
export type BucketAcl = z.infer<typeof aclSchema>;

export const connectionQuerySchema = z.object({
  /** The connection to use; the user's default connection when left out. */
  connection: idSchema.optional(),
});

export const bucketParamsSchema = z.object({ bucket: bucketNameSchema });

export const createBucketSchema = z.object({
  name: bucketNameSchema,
  region: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]*$/, {
      error: "may contain only lowercase letters, digits and -, like cn-north-4",
    })
    .optional(),
  storageClass: storageClassSchema.default("STANDARD"),
  acl: aclSchema.default("private"),
  versioning: z.boolean().default(false),
  /** Adds a CORS rule that lets this app's pages upload straight to the bucket. */
  browserUploads: z.boolean().default(true),
  /** Adds a lifecycle rule aborting multipart uploads left incomplete for this many days; null for none. */
  abortIncompleteAfterDays: z
    .number({ error: "must be a number of days" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be at least 1 day" })
    .max(3650, { error: "must be at most 3650 days" })
    .nullable()
    .default(7),
});
export type CreateBucket = z.output<typeof createBucketSchema>;

export const bucketSchema = z.object({
  name: z.string(),
  createdAt: z.string().nullable(),
  region: z.string().nullable(),
});
export type Bucket = z.infer<typeof bucketSchema>;
export const bucketListSchema = z.object({ buckets: z.array(bucketSchema), connection: z.string() });

export const bucketOverviewSchema = z.object({
  name: z.string(),
  region: z.string().nullable(),
  connection: z.string(),
  endpoint: z.string(),
});

export const createBucketResultSchema = z.object({
  bucket: bucketSchema,
  warnings: z.array(z.string()),
  /** Settings applied after the bucket was created; a failure here leaves the bucket in place. */
  settings: z.array(
    z.object({ setting: z.string(), ok: z.boolean(), code: z.string().nullable(), message: z.string() }),
  ),
});

export const corsRuleSchema = z.object({
  id: z.string().max(255).optional(),
  allowedOrigins: z.array(z.string().min(1).max(1024)).min(1, { error: "needs at least one origin" }),
  allowedMethods: z
    .array(z.enum(["GET", "PUT", "POST", "DELETE", "HEAD"]))
    .min(1, { error: "needs at least one method" }),
  allowedHeaders: z.array(z.string().min(1).max(1024)).default([]),
  exposeHeaders: z.array(z.string().min(1).max(1024)).default([]),
  maxAgeSeconds: z
    .number()
    .int()
    .min(0)
    .max(86400 * 365)
    .nullable()
    .default(null),
});
export type CorsRule = z.output<typeof corsRuleSchema>;
export const corsSchema = z.object({
  rules: z.array(corsRuleSchema).max(100, { error: "at most 100 rules" }),
});

export const lifecycleRuleSchema = z.object({
  id: z.string().min(1).max(255),
  enabled: z.boolean(),
  prefix: z.string().max(1024).default(""),
  expirationDays: z.number().int().min(1).max(36500).nullable().default(null),
  noncurrentExpirationDays: z.number().int().min(1).max(36500).nullable().default(null),
  abortIncompleteAfterDays: z.number().int().min(1).max(3650).nullable().default(null),
});
export type LifecycleRule = z.output<typeof lifecycleRuleSchema>;
export const lifecycleSchema = z.object({
  rules: z
    .array(lifecycleRuleSchema)
    .max(1000)
    .superRefine((rules, ctx) => {
      rules.forEach((r, i) => {
        if (
          r.expirationDays === null &&
          r.noncurrentExpirationDays === null &&
          r.abortIncompleteAfterDays === null
        ) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: "needs at least one action (expire, expire old versions, abort uploads)",
          });
        }
      });
    }),
});

export const versioningSchema = z.object({ status: z.enum(["Enabled", "Suspended", "Off"]) });
export const putVersioningSchema = z.object({ enabled: z.boolean() });

export const aclInfoSchema = z.object({
  owner: z.string().nullable(),
  canned: z.enum(["private", "public-read", "public-read-write", "custom"]),
  grants: z.array(z.object({ grantee: z.string(), permission: z.string() })),
});
export const policySchema = z.object({ policy: z.string().nullable() });

export const emptyStepSchema = z.object({
  keyMarker: z.string().max(2048).optional(),
  versionIdMarker: z.string().max(1024).optional(),
});
export const emptyStepResultSchema = z.object({
  deleted: z.number().int(),
  abortedUploads: z.number().int(),
  errors: z.array(
    z.object({ key: z.string(), versionId: z.string().nullable(), code: z.string(), message: z.string() }),
  ),
  next: emptyStepSchema.nullable(),
  done: z.boolean(),
});
export type EmptyStepResult = z.infer<typeof emptyStepResultSchema>;
