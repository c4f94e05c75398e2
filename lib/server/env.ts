import "server-only";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

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
  /** postgres://user:password@host:5432/db: PostgreSQL instead of SQLite (several instances share it). */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a PostgreSQL URL such as postgres://obm:secret@db.internal:5432/obm",
    }),
  DATABASE_POOL_SIZE: seconds(10),
  /** On SIGTERM: how long requests in flight may take to finish before the instance stops anyway. */
  SHUTDOWN_GRACE_SECONDS: seconds(20),
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
  /** Private stores allowed one by one: CIDRs, addresses, host or host:port, comma-separated. */
  PRIVATE_ENDPOINTS_ALLOW: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const e of entries) {
        const [addr, bits] = e.split("/");
        const bare = (addr ?? "").replace(/^\[|\]$/g, "");
        const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(bare);
        const v6 = bare.includes(":") && /^[0-9a-f:.]+$/i.test(bare);
        if (bits !== undefined && (!(v4 || v6) || !/^\d+$/.test(bits) || Number(bits) > (v4 ? 32 : 128))) {
          ctx.addIssue({ code: "custom", message: `"${e}" is not a CIDR such as 10.20.0.0/16` });
        } else if (bits === undefined && !v4 && !v6 && !/^[a-z0-9.-]+(:\d{1,5})?$/i.test(e)) {
          ctx.addIssue({ code: "custom", message: `"${e}" is not an address, CIDR, host or host:port` });
        }
      }
    }),
  TRUST_PROXY: bool,
  SESSION_IDLE_TIMEOUT_SECONDS: seconds(12 * 3600),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: seconds(7 * 24 * 3600),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: seconds(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: seconds(30),
  LOGIN_THROTTLE_WINDOW_SECONDS: seconds(15 * 60),
  LOGIN_ACCOUNT_BACKOFF_AFTER: seconds(20),
  LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: seconds(60),
  S3_CONNECT_TIMEOUT_SECONDS: seconds(5),
  S3_REQUEST_TIMEOUT_SECONDS: seconds(30),
  /** The whole of one store call (retries included) ends after this; a store that trickles bytes is cut. */
  S3_CALL_DEADLINE_SECONDS: seconds(300),
  /** Store answers larger than this are refused (listings of 1,000 entries need a few MiB at most). */
  S3_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(16 * 1024 * 1024),
  /** Store calls one user may have running at once; more wait for a turn. */
  S3_CALLS_PER_USER: seconds(16),
  /** Calls per minute one place (address, IPv6 /64) may make to public share pages. */
  PUBLIC_CALLS_PER_MINUTE: seconds(600),
  /** At most this many buckets of a listing get their region looked up (one call each). */
  S3_REGION_LOOKUPS_PER_LIST: seconds(100),
  /** Objects larger than this are copied part by part (S3 refuses a single copy above 5 GB). */
  S3_MULTIPART_COPY_THRESHOLD_BYTES: z.coerce
    .number()
    .int()
    .min(5 * 1024 * 1024)
    .default(5 * 1024 ** 3),
  /** Audit log rows older than this many days are removed (0 keeps them all). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(365),
  // Single sign-on with OpenID Connect (README: "Single sign-on"). Off unless OIDC_ISSUER is set.
  OIDC_ISSUER: z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
      message: "must be the provider's issuer URL, such as https://sso.example.com/realms/lab",
    }),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_SCOPES: z.string().default("openid profile email"),
  OIDC_NAME: z.string().min(1).max(60).default("single sign-on"),
  OIDC_USERNAME_CLAIM: z.string().min(1).default("preferred_username"),
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  /** "provider-group=Team name;other-group=Other team": teams follow these groups at every sign-in. */
  OIDC_GROUP_TEAMS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const map = new Map<string, string>();
      for (const pair of v
        .split(";")
        .map((p) => p.trim())
        .filter(Boolean)) {
        const eq = pair.lastIndexOf("=");
        const group = pair.slice(0, eq).trim();
        const team = pair.slice(eq + 1).trim();
        if (eq <= 0 || !group || !team) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not group=Team (pairs are separated by ;)` });
          return z.NEVER;
        }
        map.set(group, team);
      }
      return map;
    }),
  /** Provider groups whose members are administrators here (comma-separated). */
  OIDC_ADMIN_GROUPS: z
    .string()
    .default("")
    .transform(
      (v) =>
        new Set(
          v
            .split(",")
            .map((g) => g.trim())
            .filter(Boolean),
        ),
    ),
  /** How often a signed-in provider user is checked again with the provider (refresh token). */
  OIDC_RECHECK_SECONDS: seconds(900),
  /** "all": everyone may sign in with a password here; "admins": only administrators (break-glass). */
  LOCAL_SIGN_IN: z.enum(["all", "admins"]).default("all"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/** Settings that only make sense together. */
function crossCheck(e: Env): string[] {
  const problems: string[] = [];
  if (e.OIDC_ISSUER && !e.OIDC_CLIENT_ID)
    problems.push("  OIDC_CLIENT_ID: is required when OIDC_ISSUER is set");
  if (e.LOCAL_SIGN_IN === "admins" && !e.OIDC_ISSUER) {
    problems.push("  LOCAL_SIGN_IN: admins needs single sign-on (OIDC_ISSUER), or nobody else could sign in");
  }
  return problems;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example for every setting.`);
  }
  const problems = crossCheck(result.data);
  if (problems.length > 0) {
    throw new Error(`Invalid environment:\n${problems.join("\n")}\nSee .env.example for every setting.`);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
