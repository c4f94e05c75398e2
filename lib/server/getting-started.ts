import "server-only";
import type { SessionUser } from "./auth/session";
import { hasConnection } from "./connections";

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
export async function gettingStartedSteps(user: SessionUser): Promise<StepState[]> {
  return [
    { key: "accessKey", done: await hasConnection(user), href: "/access-keys" },
    { key: "bucket", done: false, href: "/buckets" },
    { key: "upload", done: false, href: "/buckets" },
    { key: "path", done: false, href: "/buckets" },
  ];
}
