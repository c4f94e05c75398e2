import "server-only";
import type { z } from "zod";
import type {
  createFolderSchema,
  deleteObjectsSchema,
  listObjectsQuerySchema,
  summaryStepSchema,
} from "@/lib/validation/objects";
import { log } from "./log";
import type { SessionUser } from "./auth/session";
import { resolveBucketStore } from "./connections";
import {
  deleteStep,
  headObject,
  listFolder,
  putFolderMarker,
  setStorageClass,
  summaryStep,
} from "./s3/objects";
import { signer } from "./s3/presign";
import { copyStep } from "./s3/copy";
import type { CopyObjectsInput } from "@/lib/validation/objects";

async function bucketCreds(user: SessionUser, connectionId: string | undefined, bucket: string) {
  return (await resolveBucketStore(user, connectionId, bucket)).creds;
}

export async function listObjectsFor(
  user: SessionUser,
  bucket: string,
  q: z.output<typeof listObjectsQuerySchema>,
) {
  const creds = await bucketCreds(user, q.connection, bucket);
  return listFolder(creds, bucket, {
    prefix: `${q.prefix}${q.filter}`,
    cursor: q.cursor,
    limit: q.limit,
  }).then((page) => ({ ...page, prefix: q.prefix }));
}

export async function createFolderFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  input: z.output<typeof createFolderSchema>,
) {
  const key = `${input.prefix}${input.name}/`;
  await putFolderMarker(await bucketCreds(user, connectionId, bucket), bucket, key);
  return { prefix: key };
}

export async function deleteObjectsFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  input: z.output<typeof deleteObjectsSchema>,
) {
  const result = await deleteStep(await bucketCreds(user, connectionId, bucket), bucket, input);
  log.info("objects deleted", {
    userId: user.userId,
    bucket,
    deleted: result.deleted,
    errors: result.errors.length,
  });
  return result;
}

export async function summaryStepFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  input: z.output<typeof summaryStepSchema>,
) {
  return summaryStep(await bucketCreds(user, connectionId, bucket), bucket, input.prefix, input.cursor);
}

export async function objectDetailsFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  key: string,
) {
  return headObject(await bucketCreds(user, connectionId, bucket), bucket, key);
}

const VIEW_SECONDS = 15 * 60;

/**
 * A short-lived presigned GET for downloading or previewing: the browser fetches the bytes straight from the
 * store, never through this server, and never as a page of this app's origin.
 */
export async function objectUrlFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  key: string,
  disposition: "attachment" | "inline",
) {
  const creds = await bucketCreds(user, connectionId, bucket);
  const signingDate = new Date();
  const url = await signer(creds)({
    bucket,
    key,
    method: "GET",
    expiresIn: VIEW_SECONDS,
    signingDate,
    disposition,
  });
  return { url, expiresAt: new Date(signingDate.getTime() + VIEW_SECONDS * 1000).toISOString() };
}

export async function changeStorageClassFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  input: { key: string; storageClass: "STANDARD" | "STANDARD_IA" | "GLACIER" | "DEEP_ARCHIVE" },
) {
  const creds = await bucketCreds(user, connectionId, bucket);
  await setStorageClass(creds, bucket, input.key, input.storageClass);
  log.info("storage class changed", { userId: user.userId, bucket, storageClass: input.storageClass });
  return headObject(creds, bucket, input.key);
}

export async function copyObjectsFor(
  user: SessionUser,
  connectionId: string | undefined,
  bucket: string,
  input: CopyObjectsInput,
) {
  const result = await copyStep(await bucketCreds(user, connectionId, bucket), bucket, input);
  log.info(input.move ? "objects moved" : "objects copied", {
    userId: user.userId,
    bucket,
    copied: result.copied,
    removed: result.removed,
    errors: result.errors.length,
  });
  return result;
}
