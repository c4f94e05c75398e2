import "server-only";
import { databaseHealthy } from "./db";

const started = Date.now();

export async function health() {
  const dbOk = await databaseHealthy();
  return {
    status: dbOk ? ("ok" as const) : ("degraded" as const),
    version: process.env.npm_package_version ?? "0.1.0",
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    database: { ok: dbOk },
  };
}
