import "server-only";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createS3Client, type StoreCredentials } from "./client";
import { storeError } from "./errors";

const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE"]);

export interface DownloadEntry {
  key: string;
  size: number;
  archived: boolean;
}

/**
 * One page (up to `limit`) of every object under a folder, for a folder download: keys, sizes and whether
 * each is archived. Folder markers ("…/") are left out. A token the store repeats ends the walk.
 */
export async function downloadPage(
  c: StoreCredentials,
  bucket: string,
  prefix: string,
  cursor: string | undefined,
  limit: number,
): Promise<{ entries: DownloadEntry[]; nextCursor: string | null }> {
  try {
    const out = await createS3Client(c).send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: limit,
        ...(cursor ? { ContinuationToken: cursor } : {}),
      }),
    );
    const entries = (out.Contents ?? [])
      .filter((o) => o.Key && !o.Key.endsWith("/"))
      .map((o) => ({ key: o.Key!, size: o.Size ?? 0, archived: ARCHIVED.has(o.StorageClass ?? "") }));
    const nextCursor =
      out.IsTruncated && out.NextContinuationToken && out.NextContinuationToken !== cursor
        ? out.NextContinuationToken
        : null;
    return { entries, nextCursor };
  } catch (err) {
    throw storeError(err, { endpoint: c.endpoint, region: c.region, bucket });
  }
}
