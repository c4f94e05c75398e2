import "server-only";
import { databaseHealthy, isPostgres, schemaVersion } from "./db";
import { isStopping } from "./lifecycle";

const started = Date.now();

/**
 * Liveness (the process answers) and readiness (it should get traffic: database reachable, every migration
 * applied, not shutting down), with what an operator looks at first: schema version and memory.
 */
export async function health() {
  const dbOk = await databaseHealthy();
  const schema = dbOk ? await schemaVersion().catch(() => null) : null;
  const migrated = schema !== null && schema.current >= schema.latest;
  const stopping = isStopping();
  const memory = process.memoryUsage();
  return {
    status: dbOk ? ("ok" as const) : ("degraded" as const),
    ready: dbOk && migrated && !stopping,
    stopping,
    version: process.env.npm_package_version ?? "0.1.0",
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    database: {
      ok: dbOk,
      kind: isPostgres() ? ("postgresql" as const) : ("sqlite" as const),
      schemaVersion: schema?.current ?? null,
      latestSchemaVersion: schema?.latest ?? null,
    },
    memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
  };
}
