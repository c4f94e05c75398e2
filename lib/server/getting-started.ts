import "server-only";
import type { SessionUser } from "./auth/session";
import { operations } from "@/lib/access/operations";
import { bucketsFor } from "@/lib/access/scope";
import { authorizePage } from "./access/authorize";
import { allHolds } from "./access/holds";
import { mapLimit } from "./concurrency";
import { hasObjects, listBuckets } from "./s3/gateway";

export type StepKey = "accessKey" | "bucket" | "upload" | "path";
export interface StepState {
  key: StepKey;
  done: boolean;
  href: string;
}

/** Set in the browser when the user copies an obs:// path (the tutorial's last step happens there). */
export const PATH_COPIED_COOKIE = "obm_path_copied";

/**
 * The buckets the default connection sees, and whether one of the first twenty holds data. An unreachable
 * store just means "not yet": the page must not wait on it for long (one attempt each).
 */
async function storeState(user: SessionUser): Promise<{ buckets: string[]; hasData: boolean }> {
  try {
    const store = await authorizePage(
      user,
      operations["buckets.list"],
      { params: {}, query: {}, body: {} },
      undefined,
    );
    const visible = bucketsFor(store.access, "viewer");
    const buckets = (await listBuckets(store.creds, { maxAttempts: 1 }))
      .map((b) => b.name)
      .filter((name) => visible === "all" || visible.has(name));
    const full = await mapLimit(buckets.slice(0, 20), 5, (bucket) =>
      hasObjects(store.creds, bucket, { maxAttempts: 1 }).catch(() => false),
    );
    return { buckets, hasData: full.some(Boolean) };
  } catch {
    return { buckets: [], hasData: false };
  }
}

/** The tutorial's four steps with the user's real progress. */
export async function gettingStartedSteps(
  user: SessionUser,
  opts: { pathCopied: boolean },
): Promise<StepState[]> {
  const accessKey = (await allHolds(user)).length > 0;
  const { buckets, hasData } = accessKey ? await storeState(user) : { buckets: [], hasData: false };
  const first = buckets[0] ? `/buckets/${encodeURIComponent(buckets[0])}` : "/buckets";
  return [
    { key: "accessKey", done: accessKey, href: "/access-keys" },
    { key: "bucket", done: buckets.length > 0, href: "/buckets" },
    { key: "upload", done: hasData, href: first },
    { key: "path", done: hasData && opts.pathCopied, href: first },
  ];
}
