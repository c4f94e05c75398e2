import "server-only";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketLifecycleCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { BuildMiddleware } from "@smithy/types";
import type { CreateBucketCommandInput, CreateBucketCommandOutput } from "@aws-sdk/client-s3";
import { HttpRequest } from "@smithy/protocol-http";
import { obsEndpoint } from "@/lib/obs/regions";
import type {
  BucketAcl,
  CorsRule,
  EmptyStepResult,
  LifecycleRule,
  StorageClass,
} from "@/lib/validation/buckets";
import { AppError } from "../http/app-error";
import { createS3Client, type StoreCredentials } from "./client";
import { storeError, storeErrorCode } from "./errors";

// Bucket-level operations. Every failure leaves as an AppError with an actionable message.

async function run<T>(
  c: StoreCredentials,
  bucket: string | undefined,
  fn: (s3: S3Client) => Promise<T>,
): Promise<T> {
  const client = createS3Client(c);
  try {
    return await fn(client);
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
  }
}

/** Treats the store's "nothing configured" answer as an empty configuration. */
async function orEmpty<T>(p: Promise<T>, empty: T, codes: string[]): Promise<T> {
  try {
    return await p;
  } catch (err) {
    const code = err instanceof AppError ? String(err.details?.storeCode ?? "") : storeErrorCode(err);
    if (codes.includes(code)) return empty;
    throw err;
  }
}

/**
 * The same account in another region: OBS serves each region at its own endpoint, so a derived endpoint moves
 * with the region; a custom endpoint stays (the store decides).
 */
export function inRegion(c: StoreCredentials, region: string): StoreCredentials {
  if (region === c.region) return c;
  const derived = c.provider === "obs" && c.endpoint === obsEndpoint(c.region);
  return { ...c, region, endpoint: derived ? obsEndpoint(region) : c.endpoint };
}

/** OBS takes a new bucket's default storage class in this header; the AWS SDK has no field for it. */
function defaultStorageClassHeader(
  storageClass: StorageClass,
): BuildMiddleware<CreateBucketCommandInput, CreateBucketCommandOutput> {
  return (next) => async (args) => {
    if (HttpRequest.isInstance(args.request)) args.request.headers["x-default-storage-class"] = storageClass;
    return next(args);
  };
}

export async function createBucket(
  c: StoreCredentials,
  input: { name: string; region: string; storageClass: StorageClass; acl: BucketAcl },
): Promise<void> {
  const target = inRegion(c, input.region);
  // us-east-1 is the one region S3 stores expect without a LocationConstraint; OBS always wants it.
  const location = c.provider === "obs" || input.region !== "us-east-1";
  const command = new CreateBucketCommand({
    Bucket: input.name,
    ACL: input.acl,
    ...(location ? { CreateBucketConfiguration: { LocationConstraint: input.region as never } } : {}),
  });
  if (c.provider === "obs" || input.storageClass !== "STANDARD") {
    command.middlewareStack.add(defaultStorageClassHeader(input.storageClass), {
      step: "build",
      name: "obsDefaultStorageClass",
    });
  }
  await run(target, input.name, (s3) => s3.send(command));
}

// A bucket's region does not change while it exists: remember it briefly, so browsing a folder page by
// page costs one store request per page, not two. Keyed by endpoint, key id and bucket (no secret).
const REGION_TTL_MS = 5 * 60 * 1000;
const regionCache = new Map<string, { region: string | null; at: number }>();

export async function bucketRegion(c: StoreCredentials, bucket: string): Promise<string | null> {
  const cacheKey = `${c.endpoint}|${c.accessKeyId}|${bucket}`;
  const hit = regionCache.get(cacheKey);
  if (hit && Date.now() - hit.at < REGION_TTL_MS) return hit.region;
  let region: string | null;
  try {
    const out = await createS3Client(c, { maxAttempts: 1 }).send(
      new GetBucketLocationCommand({ Bucket: bucket }),
    );
    // An empty constraint is the store's default region (us-east-1 on AWS-like stores).
    region = out.LocationConstraint || (c.provider === "obs" ? c.region : "us-east-1");
  } catch {
    return null; // not remembered: the next call asks again
  }
  if (regionCache.size >= 1000) regionCache.delete(regionCache.keys().next().value!);
  regionCache.set(cacheKey, { region, at: Date.now() });
  return region;
}

/** Forgets a deleted bucket's region (its name may come back elsewhere). */
export function forgetBucketRegion(c: StoreCredentials, bucket: string): void {
  regionCache.delete(`${c.endpoint}|${c.accessKeyId}|${bucket}`);
}

export async function deleteBucket(c: StoreCredentials, bucket: string): Promise<void> {
  await run(c, bucket, (s3) => s3.send(new DeleteBucketCommand({ Bucket: bucket })));
  forgetBucketRegion(c, bucket);
}

export async function getCors(c: StoreCredentials, bucket: string): Promise<CorsRule[]> {
  return run(c, bucket, async (s3) => {
    const out = await orEmpty(
      s3.send(new GetBucketCorsCommand({ Bucket: bucket })),
      { CORSRules: [], $metadata: {} },
      ["NoSuchCORSConfiguration"],
    );
    return (out.CORSRules ?? []).map((r) => ({
      ...(r.ID ? { id: r.ID } : {}),
      allowedOrigins: r.AllowedOrigins ?? [],
      allowedMethods: (r.AllowedMethods ?? []) as CorsRule["allowedMethods"],
      allowedHeaders: r.AllowedHeaders ?? [],
      exposeHeaders: r.ExposeHeaders ?? [],
      maxAgeSeconds: r.MaxAgeSeconds ?? null,
    }));
  });
}

/** Replaces the bucket's CORS rules (an empty list removes the configuration). Sent with Content-MD5. */
export async function putCors(c: StoreCredentials, bucket: string, rules: CorsRule[]): Promise<void> {
  await run(c, bucket, async (s3) => {
    if (rules.length === 0) {
      await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
      return;
    }
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: rules.map((r) => ({
            ...(r.id ? { ID: r.id } : {}),
            AllowedOrigins: r.allowedOrigins,
            AllowedMethods: r.allowedMethods,
            ...(r.allowedHeaders.length ? { AllowedHeaders: r.allowedHeaders } : {}),
            ...(r.exposeHeaders.length ? { ExposeHeaders: r.exposeHeaders } : {}),
            ...(r.maxAgeSeconds !== null ? { MaxAgeSeconds: r.maxAgeSeconds } : {}),
          })),
        },
      }),
    );
  });
}

export async function getLifecycle(c: StoreCredentials, bucket: string): Promise<LifecycleRule[]> {
  return run(c, bucket, async (s3) => {
    const out = await orEmpty(
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
      { Rules: [], $metadata: {} },
      ["NoSuchLifecycleConfiguration"],
    );
    return (out.Rules ?? []).map((r, i) => ({
      id: r.ID ?? `rule-${i + 1}`,
      enabled: r.Status === "Enabled",
      prefix: r.Prefix ?? r.Filter?.Prefix ?? "",
      expirationDays: r.Expiration?.Days ?? null,
      noncurrentExpirationDays: r.NoncurrentVersionExpiration?.NoncurrentDays ?? null,
      abortIncompleteAfterDays: r.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? null,
    }));
  });
}

/** Replaces the lifecycle rules (an empty list removes the configuration). Sent with Content-MD5. */
export async function putLifecycle(
  c: StoreCredentials,
  bucket: string,
  rules: LifecycleRule[],
): Promise<void> {
  await run(c, bucket, async (s3) => {
    if (rules.length === 0) {
      await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
      return;
    }
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: rules.map((r) => ({
            ID: r.id,
            Status: r.enabled ? "Enabled" : "Disabled",
            // The rule-level Prefix (not Filter) is the form OBS documents for its S3-compatible API.
            Prefix: r.prefix,
            ...(r.expirationDays !== null ? { Expiration: { Days: r.expirationDays } } : {}),
            ...(r.noncurrentExpirationDays !== null
              ? { NoncurrentVersionExpiration: { NoncurrentDays: r.noncurrentExpirationDays } }
              : {}),
            ...(r.abortIncompleteAfterDays !== null
              ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: r.abortIncompleteAfterDays } }
              : {}),
          })),
        },
      }),
    );
  });
}

export async function getVersioning(
  c: StoreCredentials,
  bucket: string,
): Promise<"Enabled" | "Suspended" | "Off"> {
  return run(c, bucket, async (s3) => {
    const out = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return out.Status === "Enabled" ? "Enabled" : out.Status === "Suspended" ? "Suspended" : "Off";
  });
}

export async function putVersioning(c: StoreCredentials, bucket: string, enabled: boolean): Promise<void> {
  await run(c, bucket, (s3) =>
    s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: enabled ? "Enabled" : "Suspended" },
      }),
    ),
  );
}

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

export async function getAcl(c: StoreCredentials, bucket: string) {
  return run(c, bucket, async (s3) => {
    const out = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const grants = (out.Grants ?? []).map((g) => ({
      grantee: g.Grantee?.URI ?? g.Grantee?.ID ?? g.Grantee?.DisplayName ?? "unknown",
      permission: g.Permission ?? "unknown",
    }));
    const ownerId = out.Owner?.ID ?? null;
    const publicPerms = new Set(grants.filter((g) => g.grantee === ALL_USERS).map((g) => g.permission));
    const others = grants.filter(
      (g) => g.grantee !== ALL_USERS && !(g.grantee === ownerId && g.permission === "FULL_CONTROL"),
    );
    const canned: BucketAcl | "custom" =
      others.length > 0
        ? "custom"
        : publicPerms.size === 0
          ? "private"
          : publicPerms.size === 1 && publicPerms.has("READ")
            ? "public-read"
            : publicPerms.size === 2 && publicPerms.has("READ") && publicPerms.has("WRITE")
              ? "public-read-write"
              : "custom";
    return { owner: out.Owner?.DisplayName ?? ownerId, canned, grants };
  });
}

export async function putAcl(c: StoreCredentials, bucket: string, acl: BucketAcl): Promise<void> {
  await run(c, bucket, (s3) => s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: acl })));
}

export async function getPolicy(c: StoreCredentials, bucket: string): Promise<string | null> {
  return run(c, bucket, async (s3) => {
    const out = await orEmpty(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), { $metadata: {} }, [
      "NoSuchBucketPolicy",
    ]);
    return out.Policy ?? null;
  });
}

/**
 * One step of emptying a bucket: lists up to 1,000 object versions and delete markers (after the marker, if
 * any) and deletes them in one DeleteObjects (every version, so a versioned bucket really empties); once none
 * are left, aborts up to 1,000 incomplete multipart uploads. The caller repeats with `next` until `done`,
 * which gives progress, survives interruption and can be run again: it only ever deletes what is in this
 * bucket. Entries the store refused are reported and stepped over; running it again retries them.
 */
export async function emptyBucketStep(
  c: StoreCredentials,
  bucket: string,
  marker: { keyMarker?: string; versionIdMarker?: string },
): Promise<EmptyStepResult> {
  return run(c, bucket, async (s3) => {
    const listed = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        MaxKeys: 1000,
        ...(marker.keyMarker ? { KeyMarker: marker.keyMarker } : {}),
        ...(marker.versionIdMarker ? { VersionIdMarker: marker.versionIdMarker } : {}),
      }),
    );
    const targets = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
      .filter((v) => v.Key !== undefined)
      .map((v) => ({ Key: v.Key!, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
    const errors: EmptyStepResult["errors"] = [];
    let deleted = 0;
    if (targets.length > 0) {
      const out = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: targets, Quiet: true } }),
      );
      for (const e of out.Errors ?? []) {
        errors.push({
          key: e.Key ?? "",
          versionId: e.VersionId ?? null,
          code: e.Code ?? "Unknown",
          message: e.Message || e.Code || "not deleted",
        });
      }
      deleted = targets.length - errors.length;
    }
    // "More" with nothing listed, or markers that do not move, would loop the page: the walk ends.
    const stuck =
      targets.length === 0 ||
      (errors.length > 0 &&
        listed.NextKeyMarker === marker.keyMarker &&
        listed.NextVersionIdMarker === marker.versionIdMarker);
    if (listed.IsTruncated && !stuck) {
      // Everything listed was just deleted, so the next batch starts from the beginning again: a marker
      // pointing at a version that no longer exists makes stores skip what follows it. Only when some
      // entries could not be deleted does the next batch continue after them, so it cannot loop on them.
      const next =
        errors.length === 0
          ? {}
          : {
              ...(listed.NextKeyMarker ? { keyMarker: listed.NextKeyMarker } : {}),
              ...(listed.NextVersionIdMarker ? { versionIdMarker: listed.NextVersionIdMarker } : {}),
            };
      return { deleted, abortedUploads: 0, errors, next, done: false };
    }
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000 }));
    let abortedUploads = 0;
    for (const u of uploads.Uploads ?? []) {
      if (!u.Key || !u.UploadId) continue;
      try {
        await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
        abortedUploads++;
      } catch (err) {
        errors.push({
          key: u.Key,
          versionId: null,
          code: storeErrorCode(err),
          message: "incomplete upload not aborted",
        });
      }
    }
    const moreUploads = uploads.IsTruncated === true && abortedUploads > 0;
    return { deleted, abortedUploads, errors, next: moreUploads ? {} : null, done: !moreUploads };
  });
}
