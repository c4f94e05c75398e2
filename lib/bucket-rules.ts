import type { CorsRule, LifecycleRule } from "./validation/buckets";

// The two bucket rules this app adds, written once for the server (bucket creation) and the settings page
// ("allow uploads from this app", "add a clean-up rule").

export const APP_CORS_RULE_ID = "obs-bucket-manager-browser-uploads";
export const ABORT_RULE_ID = "obs-bucket-manager-abort-incomplete-uploads";

/**
 * Lets this app's pages upload straight to the bucket: only this origin, the methods an upload needs, any
 * request header (Content-MD5, Content-Type), and ETag exposed (a multipart upload cannot be completed
 * without reading each part's ETag).
 */
export function appCorsRule(origin: string): CorsRule {
  return {
    id: APP_CORS_RULE_ID,
    allowedOrigins: [origin],
    allowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
    allowedHeaders: ["*"],
    exposeHeaders: ["ETag", "x-amz-request-id", "x-obs-request-id", "x-amz-version-id"],
    maxAgeSeconds: 3000,
  };
}

/** Adds or replaces the app's own rule, keeping every other rule as it was. */
export function withAppCorsRule(rules: CorsRule[], origin: string): CorsRule[] {
  return [...rules.filter((r) => r.id !== APP_CORS_RULE_ID), appCorsRule(origin)];
}

/** Aborts multipart uploads left unfinished for `days` (they are billed until removed). */
export function abortIncompleteRule(days: number): LifecycleRule {
  return {
    id: ABORT_RULE_ID,
    enabled: true,
    prefix: "",
    expirationDays: null,
    noncurrentExpirationDays: null,
    abortIncompleteAfterDays: days,
  };
}
