import "server-only";
import type { z } from "zod";
import { browseView } from "@/lib/access/scope";
import type {
  createFolderSchema,
  deleteObjectsSchema,
  listObjectsQuerySchema,
  ListObjectsResult,
  summaryStepSchema,
} from "@/lib/validation/objects";
import type { CopyObjectsInput, EditMetadata, restoreObjectsSchema } from "@/lib/validation/objects";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { AppError } from "./http/app-error";
import { log } from "./log";
import {
  deleteStep,
  headObject,
  listFolder,
  putFolderMarker,
  setStorageClass,
  summaryStep,
} from "./s3/objects";
import { signer } from "./s3/presign";
import { restoreStep, setObjectHeaders } from "./s3/archive";
import { copyStep } from "./s3/copy";

// The object browser's calls. Every function gets the connection as checked by the route wrapper for this
// operation (lib/server/access/authorize.ts): the keys and folders in the request are already inside what
// the user may reach.

/**
 * One folder level. Above the folders shared with a grantee (the bucket root when `team-a/` is shared) the
 * listing shows only the way down to them, without asking the store.
 */
export async function listObjectsFor(
  store: StoreAccess,
  bucket: string,
  q: z.output<typeof listObjectsQuerySchema>,
): Promise<ListObjectsResult> {
  const view = browseView(store.access, "viewer", bucket, q.prefix);
  if (view.kind !== "full") {
    const folders = view.kind === "partial" ? view.folders : [];
    return {
      prefix: q.prefix,
      folders: folders.filter((f) => f.startsWith(`${q.prefix}${q.filter}`)).map((prefix) => ({ prefix })),
      objects: [],
      nextCursor: null,
    };
  }
  const page = await listFolder(await store.bucketCreds(bucket), bucket, {
    prefix: `${q.prefix}${q.filter}`,
    cursor: q.cursor,
    limit: q.limit,
  });
  // A grantee who may see everything here but upload only into some folders below: those folders are
  // shown on the first page even before they exist, so there is a way to the place they may upload to.
  if (!q.cursor && store.access.relation === "grantee") {
    const up = browseView(store.access, "uploader", bucket, q.prefix);
    if (up.kind === "partial") {
      const have = new Set(page.folders.map((f) => f.prefix));
      for (const prefix of up.folders) {
        if (!have.has(prefix) && prefix.startsWith(`${q.prefix}${q.filter}`)) page.folders.push({ prefix });
      }
    }
  }
  return { ...page, prefix: q.prefix };
}

export async function createFolderFor(
  store: StoreAccess,
  bucket: string,
  input: z.output<typeof createFolderSchema>,
) {
  const key = `${input.prefix}${input.name}/`;
  await putFolderMarker(await store.bucketCreds(bucket), bucket, key);
  return { prefix: key };
}

export async function deleteObjectsFor(
  store: StoreAccess,
  bucket: string,
  input: z.output<typeof deleteObjectsSchema>,
  audit: AuditNote,
) {
  const result = await deleteStep(await store.bucketCreds(bucket), bucket, input);
  audit.count = result.deleted;
  if (result.errors.length > 0) audit.details = { errors: result.errors.length };
  log.info("objects deleted", {
    userId: store.user.userId,
    bucket,
    deleted: result.deleted,
    errors: result.errors.length,
  });
  return result;
}

export async function summaryStepFor(
  store: StoreAccess,
  bucket: string,
  input: z.output<typeof summaryStepSchema>,
) {
  return summaryStep(await store.bucketCreds(bucket), bucket, input.prefix, input.cursor);
}

export async function objectDetailsFor(store: StoreAccess, bucket: string, key: string) {
  return headObject(await store.bucketCreds(bucket), bucket, key);
}

const VIEW_SECONDS = 15 * 60;

/**
 * A short-lived presigned GET for downloading or previewing: the browser fetches the bytes straight from the
 * store, never through this server, and never as a page of this app's origin.
 */
export async function objectUrlFor(
  store: StoreAccess,
  bucket: string,
  key: string,
  disposition: "attachment" | "inline",
  versionId?: string,
) {
  const creds = await store.bucketCreds(bucket);
  // An archived object cannot be read until restored: say so here, not as the store's 403 in the browser.
  const head = await headObject(creds, bucket, key, versionId);
  if (head.restoreRequired) {
    throw new AppError(
      "conflict",
      head.restore.status === "in-progress"
        ? `${key} is being restored from the archive; it can be downloaded once the restore is done.`
        : `${key} is in the ${head.storageClass === "DEEP_ARCHIVE" ? "deep archive" : "cold"} storage class: restore it first (Restore, in its details), then download it.`,
      {
        details: {
          storeCode: head.restore.status === "in-progress" ? "RestoreInProgress" : "ObjectArchived",
        },
      },
    );
  }
  const signingDate = new Date();
  const url = await signer(creds)({
    bucket,
    key,
    method: "GET",
    expiresIn: VIEW_SECONDS,
    signingDate,
    disposition,
    ...(versionId ? { versionId } : {}),
  });
  return { url, expiresAt: new Date(signingDate.getTime() + VIEW_SECONDS * 1000).toISOString() };
}

export async function changeStorageClassFor(
  store: StoreAccess,
  bucket: string,
  input: { key: string; storageClass: "STANDARD" | "STANDARD_IA" | "GLACIER" | "DEEP_ARCHIVE" },
  audit: AuditNote,
) {
  const creds = await store.bucketCreds(bucket);
  await setStorageClass(creds, bucket, input.key, input.storageClass);
  audit.details = { storageClass: input.storageClass };
  log.info("storage class changed", { userId: store.user.userId, bucket, storageClass: input.storageClass });
  return headObject(creds, bucket, input.key);
}

export async function copyObjectsFor(
  store: StoreAccess,
  bucket: string,
  input: CopyObjectsInput,
  audit: AuditNote,
) {
  const result = await copyStep(await store.bucketCreds(bucket), bucket, input);
  audit.action = input.move
    ? input.rename !== undefined
      ? "objects.rename"
      : "objects.move"
    : "objects.copy";
  audit.count = result.copied;
  audit.details = { to: input.to, removed: result.removed, errors: result.errors.length };
  log.info(input.move ? "objects moved" : "objects copied", {
    userId: store.user.userId,
    bucket,
    copied: result.copied,
    removed: result.removed,
    errors: result.errors.length,
  });
  return result;
}

/** New headers and metadata for an object (a copy in place: storage class and ACL kept). */
export async function editMetadataFor(
  store: StoreAccess,
  bucket: string,
  input: EditMetadata,
  audit: AuditNote,
) {
  const r = await setObjectHeaders(await store.bucketCreds(bucket), bucket, input);
  audit.details = {
    ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
    metadata: Object.keys(input.metadata).length,
    aclKept: r.aclKept,
  };
  return r;
}

/** One step of restoring archived objects: named keys, or a page of a folder. */
export async function restoreObjectsFor(
  store: StoreAccess,
  bucket: string,
  input: z.output<typeof restoreObjectsSchema>,
  audit: AuditNote,
) {
  const r = await restoreStep(await store.bucketCreds(bucket), bucket, {
    keys: input.keys,
    ...(input.prefix !== undefined ? { prefix: input.prefix } : {}),
    ...(input.cursor ? { cursor: input.cursor } : {}),
    days: input.days,
    tier: input.tier,
  });
  audit.count = r.requested;
  audit.details = { days: input.days, tier: input.tier, inProgress: r.inProgress, failed: r.errors.length };
  return r;
}
