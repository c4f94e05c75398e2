import "server-only";
import type { z } from "zod";
import {
  DOWNLOAD_PAGE,
  DOWNLOAD_URL_SECONDS,
  type DownloadResult,
  type downloadRequestSchema,
} from "@/lib/validation/downloads";
import type { StoreAccess } from "./access/authorize";
import type { AuditNote } from "./access/audit";
import { downloadPage } from "./s3/download";
import { signer } from "./s3/presign";

/**
 * Signed GETs for a folder download in the browser: the bytes go from the store to the user's disk, never
 * through this server. Named keys are signed as they are (the page knows their sizes); a folder is listed a
 * page at a time. Whether a key may be read was checked by the route wrapper (a folder as a whole).
 */
export async function downloadUrlsFor(
  store: StoreAccess,
  bucket: string,
  input: z.output<typeof downloadRequestSchema>,
  audit: AuditNote,
): Promise<DownloadResult> {
  const creds = await store.bucketCreds(bucket);
  const listed =
    input.prefix !== undefined
      ? await downloadPage(creds, bucket, input.prefix, input.cursor, DOWNLOAD_PAGE)
      : { entries: input.keys.map((key) => ({ key, size: null, archived: false })), nextCursor: null };
  const sign = signer(creds);
  const signingDate = new Date();
  const files = await Promise.all(
    listed.entries.map(async (e) => ({
      ...e,
      url: await sign({
        bucket,
        key: e.key,
        method: "GET",
        expiresIn: DOWNLOAD_URL_SECONDS,
        signingDate,
        disposition: "attachment",
      }),
    })),
  );
  audit.count = files.length;
  audit.bytes = files.reduce((n, f) => n + (f.size ?? 0), 0);
  return {
    files,
    nextCursor: listed.nextCursor,
    expiresAt: new Date(signingDate.getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString(),
  };
}
