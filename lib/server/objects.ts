import "server-only";
import type { z } from "zod";
import type { createFolderSchema, listObjectsQuerySchema } from "@/lib/validation/objects";
import type { SessionUser } from "./auth/session";
import { resolveStore } from "./connections";
import { bucketRegion, inRegion } from "./s3/buckets";
import { listFolder, putFolderMarker } from "./s3/objects";

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
