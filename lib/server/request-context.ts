import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the server knows about the API request being handled, wherever the code that needs it is called
 * from: whose request it is (store calls are limited per user) and its abort signal (a browser that went
 * away stops the store calls made for it). Set by the route wrapper around every handler.
 */
export interface RequestScope {
  userId: string | null;
  signal: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequest<T>(scope: RequestScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}
