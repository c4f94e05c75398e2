import { createStore, del, entries, set, type UseStore } from "idb-keyval";
import { z } from "zod";
import type { ResumeRecord, ResumeStore } from "./types";

// Multipart uploads in flight, kept in this browser's IndexedDB (never on the server): enough to find the
// upload in the store again after a reload and to recognise the file when the user picks it again.

const recordSchema = z.object({
  uploadId: z.string(),
  target: z.object({ connectionId: z.string(), bucket: z.string() }),
  key: z.string(),
  partSize: z.number(),
  partCount: z.number(),
  contentType: z.string().nullable(),
  file: z.object({ name: z.string(), size: z.number(), lastModified: z.number(), path: z.string() }),
  startedAt: z.number(),
});

let store: UseStore | null = null;
const db = () => (store ??= createStore("obm-uploads", "multipart"));

export const indexedDbResumeStore: ResumeStore = {
  async save(r) {
    await set(r.uploadId, r, db());
  },
  async remove(uploadId) {
    await del(uploadId, db());
  },
  async all() {
    const rows = await entries(db());
    return rows.flatMap(([, v]) => {
      const parsed = recordSchema.safeParse(v);
      return parsed.success ? [parsed.data satisfies ResumeRecord] : [];
    });
  },
};
