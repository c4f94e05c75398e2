import type { PickedEntry } from "./types";

// Turning a drop or a file input into entries with paths. Folders are walked with the File and Directory
// Entries API (the only way a drop exposes them); empty folders become entries of their own.

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      // readEntries answers in chunks (100 in Chromium) until it answers with none.
      reader.readEntries((chunk) => {
        if (chunk.length === 0) resolve(all);
        else {
          all.push(...chunk);
          next();
        }
      }, reject);
    next();
  });
}

const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function walk(entry: FileSystemEntry, path: string, out: PickedEntry[]) {
  if (entry.isFile) {
    out.push({ kind: "file", file: await fileOf(entry as FileSystemFileEntry), path });
    return;
  }
  const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
  if (children.length === 0) out.push({ kind: "folder", path });
  for (const child of children) await walk(child, `${path}/${child.name}`, out);
}

/** Everything dropped: files, and folders with everything inside them (empty ones included). */
export async function entriesFromDrop(items: DataTransferItemList): Promise<PickedEntry[]> {
  // The entries must be taken synchronously, before the first await: the list is emptied after the event.
  const roots = [...items]
    .filter((i) => i.kind === "file")
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  const out: PickedEntry[] = [];
  for (const root of roots) await walk(root, root.name, out);
  return out;
}

/** From `<input type=file>` (with or without `webkitdirectory`): paths relative to the picked folder. */
export function entriesFromInput(files: FileList): PickedEntry[] {
  return [...files].map((file) => ({ kind: "file", file, path: file.webkitRelativePath || file.name }));
}
