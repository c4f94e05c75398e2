import { createStore, del, entries, set, type UseStore } from "idb-keyval";
import { z } from "zod";
import type { ResumeRecord, ResumeStore } from "./types";

// Multipart uploads in flight, kept in this browser's IndexedDB (never on the server): enough to find the
// upload in the store again after a reload and to recognise the file when the user picks it again. Each
// record belongs to the user who started the upload: another account signed in on the same browser never
// sees it, and signing out removes the user's records.

const recordSchema = z.object({
  uploadId: z.string(),
  target: z.object({ connectionId: z.string(), bucket: z.string() }),
  key: z.string(),
  partSize: z.number(),
  partCount: z.number(),
  contentType: z.string().nullable(),
  file: z.object({ name: z.string(), size: z.number(), lastModified: z.number(), path: z.string() }),
  startedAt: z.number(),
  userId: z.string(),
});

let store: UseStore | null = null;
const db = () => (store ??= createStore("obm-uploads", "multipart"));

async function recordsOf(userId: string) {
  const rows = await entries(db());
  return rows.flatMap(([, v]) => {
    const parsed = recordSchema.safeParse(v);
    return parsed.success && parsed.data.userId === userId ? [parsed.data] : [];
  });
}

/** The resume records of one user (records of other users, or without an owner, are not theirs). */
export function resumeStoreFor(userId: string): ResumeStore {
  return {
    async save(r) {
      await set(r.uploadId, { ...r, userId }, db());
    },
    async remove(uploadId) {
      await del(uploadId, db());
    },
    async all() {
      return (await recordsOf(userId)).map(({ userId: _owner, ...r }) => r satisfies ResumeRecord);
    },
  };
}

/** At sign-out: this browser forgets the user's unfinished uploads (the store still lists them). */
export async function forgetUploadsOf(userId: string): Promise<void> {
  for (const r of await recordsOf(userId)) await del(r.uploadId, db());
  // Records from before they had an owner cannot be told apart: they go too.
  const rows = await entries(db());
  for (const [k, v] of rows) if (!recordSchema.safeParse(v).success) await del(k, db());
}
