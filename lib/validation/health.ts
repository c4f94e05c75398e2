import { z } from "zod";

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  /** Database reachable, migrations applied, not shutting down. */
  ready: z.boolean(),
  stopping: z.boolean(),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.object({
    ok: z.boolean(),
    kind: z.enum(["sqlite", "postgresql"]),
    schemaVersion: z.number().nullable(),
    latestSchemaVersion: z.number().nullable(),
  }),
  memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }),
});

/** `/api/health` is liveness (200 while the process answers); `/api/health?ready` is readiness (503 if not). */
export const healthQuerySchema = z.object({ ready: z.string().max(10).optional() });
