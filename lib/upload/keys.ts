import type { PickedEntry } from "./types";

/** The object key of a dropped entry: the folder being browsed + its path in the drop. */
export function keyFor(prefix: string, entry: PickedEntry): string {
  const path = entry.path.replace(/^\/+/, "");
  return entry.kind === "folder" ? `${prefix}${path.replace(/\/*$/, "/")}` : `${prefix}${path}`;
}

/** "dir/name (n).ext": the n-th name tried when the user picks "keep both". */
export function renamed(key: string, n: number): string {
  const slash = key.lastIndexOf("/");
  const dir = key.slice(0, slash + 1);
  const name = key.slice(slash + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${dir}${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${dir}${name} (${n})`;
}

/** A media type the API accepts, or none (the store then keeps its default). */
export function contentTypeOf(file: { type: string }): string | undefined {
  return /^[\w.+-]+\/[\w.+-]+$/.test(file.type) && file.type.length <= 255 ? file.type : undefined;
}

/** Stable identity of a picked file, to match it with an upload started before a reload. */
export function fileIdentity(f: { name: string; size: number; lastModified: number }, path: string): string {
  return `${path}\n${f.size}\n${f.lastModified}`;
}
