import "server-only";

// The process's life as the launcher (scripts/start.mjs) and the app share it: one object on globalThis,
// under a registered symbol, because the launcher is plain Node and loads Next (and so this module) itself.
// On SIGTERM the launcher sets `stopping` (readiness turns 503 so a load balancer drains this instance),
// lets requests in flight finish, then calls `shutdown` (registered at boot: closes the database).

interface Lifecycle {
  stopping: boolean;
  shutdown?: () => Promise<void>;
}

const KEY = Symbol.for("obm.lifecycle");
type WithLifecycle = typeof globalThis & { [KEY]?: Lifecycle };

function lifecycle(): Lifecycle {
  const g = globalThis as WithLifecycle;
  g[KEY] ??= { stopping: false };
  return g[KEY];
}

export const isStopping = () => lifecycle().stopping;

export function onShutdown(fn: () => Promise<void>): void {
  lifecycle().shutdown = fn;
}
