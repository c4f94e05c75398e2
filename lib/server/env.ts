import "server-only";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting the server reads, validated once. A bad value stops the server at start with a message that
 * names the variable and the rule (see `.env.example` for what each one does).
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z
    .string()
    .min(1)
    .default("./data")
    .transform((p) => path.resolve(p)),
  APP_MASTER_KEY: z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, {
      message: "must be 32 random bytes in base64 (create one with: openssl rand -base64 32)",
    }),
  APP_ORIGIN: z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^https?:\/\/[^/]+$/.test(v), {
      message: "must be an origin such as https://obs-console.example.com (scheme and host, no path)",
    }),
  ALLOW_PRIVATE_ENDPOINTS: bool,
  TRUST_PROXY: bool,
  SESSION_IDLE_TIMEOUT_SECONDS: seconds(12 * 3600),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: seconds(7 * 24 * 3600),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: seconds(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: seconds(30),
  LOGIN_THROTTLE_WINDOW_SECONDS: seconds(15 * 60),
  S3_CONNECT_TIMEOUT_SECONDS: seconds(5),
  S3_REQUEST_TIMEOUT_SECONDS: seconds(30),
  /** Objects larger than this are copied part by part (S3 refuses a single copy above 5 GB). */
  S3_MULTIPART_COPY_THRESHOLD_BYTES: z.coerce
    .number()
    .int()
    .min(5 * 1024 * 1024)
    .default(5 * 1024 ** 3),
  /** Audit log rows older than this many days are removed (0 keeps them all). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(365),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example for every setting.`);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
