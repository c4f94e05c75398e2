import "server-only";
import {
  GetObjectAclCommand,
  ListObjectsV2Command,
  PutObjectAclCommand,
  RestoreObjectCommand,
  type GetObjectAclCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import type { EditMetadata } from "@/lib/validation/objects";
import { createS3Client, type StoreCredentials } from "./client";
import { copyOne } from "./copy";
import { storeError, storeErrorCode } from "./errors";

// Two object operations that go through a copy or a request of their own: editing an object's headers
// and metadata (a copy onto itself that keeps its storage class and ACL), and restoring archived objects
// (Cold / Deep Archive in OBS, GLACIER / DEEP_ARCHIVE in S3) for some days.

type Tier = "Expedited" | "Standard" | "Bulk";
const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE"]);

/**
 * OBS documents Content-MD5 as required on a restore request; the SDK sends none (the operation does not
 * ask for a checksum), so the restore command carries one computed over its XML body.
 */
function withContentMd5(command: RestoreObjectCommand): RestoreObjectCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { body?: unknown; headers?: Record<string, string> };
      if (req.headers && typeof req.body === "string") {
        req.headers["content-md5"] = createHash("md5").update(req.body).digest("base64");
      }
      return next(args);
    },
    { step: "build", name: "obsRestoreContentMd5" },
  );
  return command;
}

/** Asks the store to restore one object for `days`; "in-progress" when it is already being restored. */
async function restoreOne(s3: S3Client, bucket: string, key: string, days: number, tier: Tier) {
  try {
    await s3.send(
      withContentMd5(
        new RestoreObjectCommand({
          Bucket: bucket,
          Key: key,
          RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } },
        }),
      ),
    );
    return "requested" as const;
  } catch (err) {
    if (storeErrorCode(err) === "RestoreAlreadyInProgress") return "in-progress" as const;
    throw err;
  }
}

export interface RestoreResult {
  requested: number;
  inProgress: number;
  notArchived: number;
  errors: { key: string; code: string; message: string }[];
  nextCursor: string | null;
}

/**
 * One step of a restore: the named keys, or one page (up to 100) of a folder's objects, each archived one
 * asked for; objects not in an archive class are counted and left. The page repeats it with `nextCursor`.
 */
export async function restoreStep(
  c: StoreCredentials,
  bucket: string,
  input: { keys: string[]; prefix?: string; cursor?: string; days: number; tier: Tier },
): Promise<RestoreResult> {
  const s3 = createS3Client(c);
  const result: RestoreResult = { requested: 0, inProgress: 0, notArchived: 0, errors: [], nextCursor: null };
  let targets: { key: string; storageClass: string | undefined }[];
  try {
    if (input.prefix !== undefined) {
      const out = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: input.prefix,
          MaxKeys: 100,
          ...(input.cursor ? { ContinuationToken: input.cursor } : {}),
        }),
      );
      targets = (out.Contents ?? [])
        .filter((o) => o.Key && !o.Key.endsWith("/"))
        .map((o) => ({ key: o.Key!, storageClass: o.StorageClass }));
      result.nextCursor =
        out.IsTruncated && out.NextContinuationToken && out.NextContinuationToken !== input.cursor
          ? out.NextContinuationToken
          : null;
    } else targets = input.keys.map((key) => ({ key, storageClass: undefined }));
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
  }
  for (const t of targets) {
    // A listing says each object's class; named keys are asked for and the store answers for them.
    if (t.storageClass !== undefined && !ARCHIVED.has(t.storageClass)) {
      result.notArchived++;
      continue;
    }
    try {
      const r = await restoreOne(s3, bucket, t.key, input.days, input.tier);
      if (r === "requested") result.requested++;
      else result.inProgress++;
    } catch (err) {
      const code = storeErrorCode(err);
      // A restore of an object that is not archived: nothing to do (S3 says InvalidObjectState).
      if (code === "InvalidObjectState") {
        result.notArchived++;
        continue;
      }
      result.errors.push({
        key: t.key,
        code,
        message: storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key: t.key }).message,
      });
    }
  }
  return result;
}

/**
 * New headers and metadata for an object: a copy onto itself (part by part above 5 GB) with the storage
 * class kept, then its ACL put back as it was (a copy gets the bucket's default ACL). Where the key may not
 * read ACLs, the edit goes on and says the ACL could not be kept.
 */
export async function setObjectHeaders(
  c: StoreCredentials,
  bucket: string,
  input: EditMetadata,
): Promise<{ key: string; aclKept: boolean }> {
  const s3 = createS3Client(c);
  const key = input.key;
  try {
    let acl: GetObjectAclCommandOutput | null = null;
    try {
      acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (storeErrorCode(err) !== "AccessDenied") throw err;
    }
    await copyOne(s3, bucket, key, key, {
      headers: {
        ...(input.contentType ? { contentType: input.contentType } : {}),
        ...(input.contentDisposition ? { contentDisposition: input.contentDisposition } : {}),
        ...(input.cacheControl ? { cacheControl: input.cacheControl } : {}),
        ...(input.contentEncoding ? { contentEncoding: input.contentEncoding } : {}),
        metadata: input.metadata,
      },
    });
    if (acl?.Grants && acl.Owner) {
      await s3.send(
        new PutObjectAclCommand({
          Bucket: bucket,
          Key: key,
          AccessControlPolicy: { Grants: acl.Grants, Owner: acl.Owner },
        }),
      );
    }
    return { key, aclKept: acl !== null };
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket, key });
  }
}
