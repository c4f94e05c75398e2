import "server-only";
import { operations } from "@/lib/access/operations";
import { authorize, type StoreAccess } from "../access/authorize";
import { appendAudit } from "../db/audit-log";
import { findUserById } from "../db/users";
import { cancelShareFile, finishShareFile, listShareFiles, type ShareRow } from "../db/shares";
import { existingKeys } from "../s3/uploads";

// A file sent through an upload request in one PUT never calls back: the store holding it is the proof.
// Files still "planned" are looked up in the store (a listing answers for a folder at a time) and the ones
// it holds become "done", with one audit record for what arrived. Their sizes need no check: every PUT
// was signed with its Content-Length. A file the store still lacks after its URL ended was given up (the
// uploader cancelled, or left): its room is given back.

/** How long an upload request's PUT URL lives; the engine asks again before it ends. */
export const SHARE_PUT_SECONDS = 3600;
const GIVEN_UP_MS = (SHARE_PUT_SECONDS + 300) * 1000;

export async function confirmReceived(row: ShareRow, store: StoreAccess): Promise<number> {
  const creds = await store.bucketCreds(row.bucket);
  const planned = (await listShareFiles(row.id)).filter((f) => f.status === "planned" && !f.upload_id);
  if (planned.length === 0) return 0;
  const now = Date.now();
  let confirmed = 0;
  let bytes = 0;
  for (let i = 0; i < planned.length; i += 1000) {
    const batch = planned.slice(i, i + 1000);
    const present = new Set(
      await existingKeys(
        creds,
        row.bucket,
        batch.map((f) => f.object_key),
      ),
    );
    for (const f of batch) {
      if (!present.has(f.object_key)) {
        if (now - f.signed_at > GIVEN_UP_MS) await cancelShareFile(row.id, f.id);
        continue;
      }
      await finishShareFile(f.id, now);
      confirmed++;
      bytes += f.size;
    }
  }
  if (confirmed > 0) {
    await appendAudit({
      user_id: row.user_id,
      username: `share:${row.id.slice(0, 8)}`,
      action: "upload-request.received",
      connection_id: row.connection_id,
      owner_id: store.ownerId,
      bucket: row.bucket,
      prefix: row.prefix,
      count: confirmed,
      bytes,
      details: JSON.stringify({ share: row.id }),
    });
  }
  return confirmed;
}

/** For the owner's view: the same check, with the creator's access to the connection (checked as always). */
export async function reconcileShareFiles(row: ShareRow): Promise<number> {
  const creator = await findUserById(row.user_id);
  if (!creator) return 0;
  const store = await authorize(
    {
      sessionId: "",
      userId: creator.id,
      username: creator.username,
      role: creator.role,
      authSource: "local",
    },
    operations["upload-request.files"],
    { params: {}, query: {}, body: {}, share: { bucket: row.bucket, key: null, prefix: row.prefix } },
    row.connection_id,
    { bucket: row.bucket, paths: [row.prefix ?? ""] },
  );
  return confirmReceived(row, store);
}
