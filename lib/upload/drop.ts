import { partCountFor, partSizeFor } from "@/lib/validation/uploads";
import { keyFor, renamed } from "./keys";
import type {
  ConflictAction,
  ConflictResolver,
  ExistingObject,
  PickedEntry,
  UploadTarget,
  UploadTransport,
} from "./types";

// What a drop becomes before its files are queued: each entry's key, and for keys that exist already the
// user's answer (overwrite, skip, keep both, or skip the identical ones). "Identical" is decided without
// sending anything: the same size, and the same MD5 as the store's ETag (the MD5 of a one-PUT object), or
// for an object uploaded in parts the same multipart ETag (the MD5 of the parts' MD5s, "-" and the part
// count) computed with the part size that gives its part count.

export interface Admitted {
  entry: PickedEntry;
  key: string;
  /** The key existed and this file replaces it (its content differs, or the user chose to overwrite). */
  replaces: boolean;
}

export interface DropPlan {
  admitted: Admitted[];
  /** Files left out because the store holds the same bytes under the same key. */
  identical: number;
  /** Files left out because the user chose to skip existing keys. */
  skipped: number;
}

const MiB = 1024 * 1024;
const hexOf = (base64: string) =>
  [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** The part sizes a tool may have used to upload `size` bytes in `parts` parts: ours first, then common ones. */
export function partSizesFor(size: number, parts: number): number[] {
  const candidates = [
    partSizeFor(size),
    8 * MiB,
    16 * MiB,
    5 * MiB,
    // Ours on a fast link (partSizeFor with a measured speed).
    32 * MiB,
    64 * MiB,
    Math.ceil(size / parts / MiB) * MiB,
  ];
  return [...new Set(candidates)].filter((p) => p > 0 && partCountFor(size, p) === parts).slice(0, 2);
}

/** Whether `file` holds the bytes of a stored object with this size and ETag (reads the file once or twice). */
export async function sameContent(
  t: Pick<UploadTransport, "md5">,
  file: File,
  stored: Pick<ExistingObject, "size" | "etag">,
): Promise<boolean> {
  if (file.size !== stored.size || !stored.etag) return false;
  const etag = stored.etag.replaceAll('"', "").toLowerCase();
  const multipart = /^([0-9a-f]{32})-(\d+)$/.exec(etag);
  if (!multipart) return /^[0-9a-f]{32}$/.test(etag) && hexOf(await t.md5(file)) === etag;
  const parts = Number(multipart[2]);
  for (const partSize of partSizesFor(file.size, parts)) {
    const digests: Uint8Array[] = [];
    for (let start = 0; start < file.size || digests.length === 0; start += partSize) {
      digests.push(bytesOf(await t.md5(file.slice(start, Math.min(file.size, start + partSize)))));
    }
    const joined = new Uint8Array(digests.length * 16);
    digests.forEach((d, i) => joined.set(d, i * 16));
    if (hexOf(await t.md5(joined)) === multipart[1]) return true;
  }
  return false;
}

/** Runs `fn` over `items`, `limit` at a time, keeping the order of the results. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function freeName(
  t: UploadTransport,
  target: UploadTarget,
  key: string,
  taken: Set<string>,
): Promise<string> {
  for (let n = 1; n < 10_000; n += 20) {
    const candidates = Array.from({ length: 20 }, (_, i) => renamed(key, n + i)).filter((k) => !taken.has(k));
    const exist = new Set((await t.conflicts(target, candidates)).map((o) => o.key));
    const free = candidates.find((k) => !exist.has(k));
    if (free) {
      taken.add(free);
      return free;
    }
  }
  throw new Error(`no free name for ${key}`);
}

/**
 * The keys of a drop and what to do where they exist. Null when the user closed the question (nothing of
 * the drop is queued).
 */
export async function planDrop(
  t: UploadTransport,
  target: UploadTarget,
  prefix: string,
  entries: PickedEntry[],
  resolve: ConflictResolver,
): Promise<DropPlan | null> {
  const wanted = entries.map((e) => ({ entry: e, key: keyFor(prefix, e) }));
  const fileKeys = wanted.filter((w) => w.entry.kind === "file").map((w) => w.key);
  const existing = new Map<string, ExistingObject>();
  for (let i = 0; i < fileKeys.length; i += 1000) {
    for (const o of await t.conflicts(target, fileKeys.slice(i, i + 1000))) existing.set(o.key, o);
  }
  const taken = new Set(wanted.map((w) => w.key));
  let always: ConflictAction | null = null;
  let left = wanted.filter((w) => w.entry.kind === "file" && existing.has(w.key)).length;
  const plan: DropPlan = { admitted: [], identical: 0, skipped: 0 };
  const compare: Admitted[] = [];
  for (const w of wanted) {
    const stored = w.entry.kind === "file" ? existing.get(w.key) : undefined;
    if (!stored) {
      plan.admitted.push({ ...w, replaces: false });
      continue;
    }
    let action: ConflictAction | null = always;
    if (!action) {
      const answer = await resolve(w.key, left);
      if (!answer) return null;
      action = answer.action;
      if (answer.all) always = action;
    }
    left--;
    if (action === "skip") plan.skipped++;
    else if (action === "rename") {
      plan.admitted.push({ ...w, key: await freeName(t, target, w.key, taken), replaces: false });
    } else if (action === "identical") compare.push({ ...w, replaces: true });
    else plan.admitted.push({ ...w, replaces: true });
  }
  // Four files compared at a time: reading is the cost, and the disk is shared with the uploads.
  const same = await mapLimit(compare, 4, async (a) =>
    a.entry.kind === "file" ? sameContent(t, a.entry.file, existing.get(a.key)!).catch(() => false) : false,
  );
  compare.forEach((a, i) => {
    if (same[i]) plan.identical++;
    else plan.admitted.push(a);
  });
  return plan;
}
