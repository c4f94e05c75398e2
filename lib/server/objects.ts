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
import { resolveStore } from "./connections";
import { bucketRegion, inRegion } from "./s3/buckets";
import { deleteStep, listFolder, putFolderMarker, summaryStep } from "./s3/objects";

async function bucketCreds(user: SessionUser, connectionId: string | undefined, bucket: string) {
  const s = await resolveStore(user, connectionId);
  const region = await bucketRegion(s.creds, bucket);
  return region ? inRegion(s.creds, region) : s.creds;
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
