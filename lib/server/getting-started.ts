import "server-only";
import type { SessionUser } from "./auth/session";
import { hasConnection, resolveStore } from "./connections";
import { listBuckets } from "./s3/gateway";

export type StepKey = "accessKey" | "bucket" | "upload" | "path";
export interface StepState {
  key: StepKey;
  done: boolean;
  href: string;
}

/**
 * The tutorial's four steps with the user's real progress. Each later feature (connections, buckets, uploads)
 * reports its own step here.
 */
/** Whether the user's default connection sees a bucket; an unreachable store just means "not yet". */
async function hasBucket(user: SessionUser): Promise<boolean> {
  try {
    const store = await resolveStore(user, undefined);
    return (await listBuckets(store.creds, { maxAttempts: 1 })).length > 0;
  } catch {
    return false;
  }
}

export async function gettingStartedSteps(user: SessionUser): Promise<StepState[]> {
  const accessKey = await hasConnection(user);
  return [
    { key: "accessKey", done: accessKey, href: "/access-keys" },
    { key: "bucket", done: accessKey && (await hasBucket(user)), href: "/buckets" },
    { key: "upload", done: false, href: "/buckets" },
    { key: "path", done: false, href: "/buckets" },
  ];
}
