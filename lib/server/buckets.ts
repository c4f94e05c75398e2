import "server-only";
import {
  bucketNameWarnings,
  type Bucket,
  type BucketAcl,
  type CorsRule,
  type CreateBucket,
  type LifecycleRule,
} from "@/lib/validation/buckets";
import { abortIncompleteRule, appCorsRule } from "@/lib/bucket-rules";
import { bucketsFor } from "@/lib/access/scope";
import { forgetCorsCheck } from "./uploads";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { mapLimit } from "./concurrency";
import { AppError } from "./http/app-error";
import { env } from "./env";
import { log } from "./log";
import * as s3 from "./s3/buckets";
import { listBuckets } from "./s3/gateway";

/** The buckets of a connection; a grantee sees only the buckets shared with them. */
export async function listBucketsOf(store: StoreAccess): Promise<{ connection: string; buckets: Bucket[] }> {
  const visible = bucketsFor(store.access, "viewer");
  const buckets = (await listBuckets(store.creds)).filter((b) => visible === "all" || visible.has(b.name));
  // The list holds every region's buckets (OBS); each one's region is one cheap call, eight at a time, for
  // the first S3_REGION_LOOKUPS_PER_LIST buckets by name only: a store listing 100,000 buckets must not
  // turn one page into 100,000 calls (OBS allows 100 buckets per account; the rest show no region).
  const sorted = [...buckets].sort((a, b) => a.name.localeCompare(b.name));
  const looked = sorted.slice(0, env().S3_REGION_LOOKUPS_PER_LIST);
  const regions = await mapLimit(looked, 8, (b) => s3.bucketRegion(store.creds, b.name));
  return {
    connection: store.id,
    buckets: sorted.map((b, i) => ({ name: b.name, createdAt: b.createdAt, region: regions[i] ?? null })),
  };
}

interface SettingResult {
  setting: string;
  ok: boolean;
  code: string | null;
  message: string;
}

async function apply(setting: string, fn: () => Promise<void>): Promise<SettingResult> {
  try {
    await fn();
    return { setting, ok: true, code: null, message: "applied" };
  } catch (err) {
    const app = err instanceof AppError ? err : null;
    return {
      setting,
      ok: false,
      code: app?.details?.storeCode ? String(app.details.storeCode) : null,
      message: app?.message ?? "failed",
    };
  }
}

export async function createBucketFor(
  store: StoreAccess,
  input: CreateBucket,
  appOrigin: string | null,
  audit: AuditNote,
) {
  const region = input.region ?? store.creds.region;
  // Stores differ on re-creating a bucket you own (S3 answers 200 in us-east-1); ask first, answer the same.
  if ((await listBuckets(store.creds)).some((b) => b.name === input.name)) {
    throw new AppError("conflict", `name: you already have a bucket named ${input.name}`, {
      details: { storeCode: "BucketAlreadyOwnedByYou" },
    });
  }
  await s3.createBucket(store.creds, {
    name: input.name,
    region,
    storageClass: input.storageClass,
    acl: input.acl,
  });
  audit.details = { region, storageClass: input.storageClass, acl: input.acl, versioning: input.versioning };
  log.info("bucket created", {
    userId: store.user.userId,
    connectionId: store.id,
    bucket: input.name,
    region,
  });

  const target = s3.inRegion(store.creds, region);
  const settings: SettingResult[] = [];
  if (input.versioning)
    settings.push(await apply("versioning", () => s3.putVersioning(target, input.name, true)));
  if (input.browserUploads) {
    settings.push(
      await apply("cors", async () => {
        if (!appOrigin)
          throw new AppError("bad_request", "The app's own address is unknown; set APP_ORIGIN.");
        await s3.putCors(target, input.name, [appCorsRule(appOrigin)]);
      }),
    );
  }
  if (input.abortIncompleteAfterDays !== null) {
    const days = input.abortIncompleteAfterDays;
    settings.push(
      await apply("lifecycle", () => s3.putLifecycle(target, input.name, [abortIncompleteRule(days)])),
    );
  }
  const warnings: string[] = [...bucketNameWarnings(input.name, store.addressing)];
  if (input.acl !== "private") warnings.push(`acl_${input.acl}`);
  return { bucket: { name: input.name, createdAt: new Date().toISOString(), region }, warnings, settings };
}

export async function bucketOverview(store: StoreAccess, bucket: string) {
  const creds = await store.bucketCreds(bucket);
  // A bucket that answers nothing at all does not exist for this key.
  await s3.getVersioning(creds, bucket);
  return {
    name: bucket,
    region: await s3.bucketRegion(store.creds, bucket),
    connection: store.id,
    endpoint: creds.endpoint,
  };
}

export async function deleteBucketFor(store: StoreAccess, bucket: string) {
  await s3.deleteBucket(await store.bucketCreds(bucket), bucket);
  log.info("bucket deleted", { userId: store.user.userId, bucket });
}

export async function emptyBucketStepFor(
  store: StoreAccess,
  bucket: string,
  marker: { keyMarker?: string; versionIdMarker?: string },
  audit: AuditNote,
) {
  const result = await s3.emptyBucketStep(await store.bucketCreds(bucket), bucket, marker);
  audit.count = result.deleted;
  log.info("bucket empty step", {
    userId: store.user.userId,
    bucket,
    deleted: result.deleted,
    errors: result.errors.length,
  });
  return result;
}

export const bucketSettings = {
  getCors: async (store: StoreAccess, bucket: string) => ({
    rules: await s3.getCors(await store.bucketCreds(bucket), bucket),
  }),
  putCors: async (store: StoreAccess, bucket: string, rules: CorsRule[]) => {
    const target = await store.bucketCreds(bucket);
    await s3.putCors(target, bucket, rules);
    forgetCorsCheck(bucket);
    return { rules: await s3.getCors(target, bucket) };
  },
  getLifecycle: async (store: StoreAccess, bucket: string) => ({
    rules: await s3.getLifecycle(await store.bucketCreds(bucket), bucket),
  }),
  putLifecycle: async (store: StoreAccess, bucket: string, rules: LifecycleRule[]) => {
    const target = await store.bucketCreds(bucket);
    await s3.putLifecycle(target, bucket, rules);
    return { rules: await s3.getLifecycle(target, bucket) };
  },
  getVersioning: async (store: StoreAccess, bucket: string) => ({
    status: await s3.getVersioning(await store.bucketCreds(bucket), bucket),
  }),
  putVersioning: async (store: StoreAccess, bucket: string, enabled: boolean) => {
    const target = await store.bucketCreds(bucket);
    await s3.putVersioning(target, bucket, enabled);
    return { status: await s3.getVersioning(target, bucket) };
  },
  getAcl: async (store: StoreAccess, bucket: string) => s3.getAcl(await store.bucketCreds(bucket), bucket),
  putAcl: async (store: StoreAccess, bucket: string, acl: BucketAcl) => {
    const target = await store.bucketCreds(bucket);
    await s3.putAcl(target, bucket, acl);
    return s3.getAcl(target, bucket);
  },
  getPolicy: async (store: StoreAccess, bucket: string) => ({
    policy: await s3.getPolicy(await store.bucketCreds(bucket), bucket),
  }),
};
