import "server-only";
import type { z } from "zod";
import type { versionsQuerySchema } from "@/lib/validation/versions";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { deleteVersion, listVersions, restoreVersion, undelete } from "./s3/versions";

// Versions of objects, for the object browser's "Show versions" and "Deleted items".

export async function listVersionsFor(
  store: StoreAccess,
  bucket: string,
  q: z.output<typeof versionsQuerySchema>,
) {
  return listVersions(await store.bucketCreds(bucket), bucket, {
    prefix: q.prefix,
    ...(q.key ? { key: q.key } : {}),
    deleted: q.deleted === "1",
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
}

export async function restoreVersionFor(
  store: StoreAccess,
  bucket: string,
  input: { key: string; versionId: string },
  audit: AuditNote,
) {
  await restoreVersion(await store.bucketCreds(bucket), bucket, input.key, input.versionId);
  audit.details = { versionId: input.versionId };
  return { ok: true as const };
}

export async function deleteVersionFor(
  store: StoreAccess,
  bucket: string,
  input: { key: string; versionId: string },
  audit: AuditNote,
) {
  await deleteVersion(await store.bucketCreds(bucket), bucket, input.key, input.versionId);
  audit.details = { versionId: input.versionId };
  return { ok: true as const };
}

export async function undeleteFor(store: StoreAccess, bucket: string, keys: string[], audit: AuditNote) {
  const r = await undelete(await store.bucketCreds(bucket), bucket, keys);
  audit.count = r.restored;
  if (r.errors.length > 0) audit.details = { failed: r.errors.length };
  return r;
}
