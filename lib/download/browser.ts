import { api } from "@/lib/api-client";
import { downloadResultSchema, type DownloadResult } from "@/lib/validation/downloads";
import type { Destination, DownloadSource, RemoteFile } from "./manager";

// The browser's side of a folder download: the folder the user picks (File System Access API) and the
// app's signing route as the source of files.

interface DirectoryPickerWindow {
  showDirectoryPicker?: (options?: {
    id?: string;
    mode?: "read" | "readwrite";
  }) => Promise<FileSystemDirectoryHandle>;
}

/** Chromium-based browsers: a folder can be written file by file. */
export function canPickFolder(): boolean {
  return (
    typeof window !== "undefined" &&
    typeof (window as DirectoryPickerWindow).showDirectoryPicker === "function"
  );
}

/** Asks for a folder to write into; null when the user closed the picker. */
export async function pickFolder(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await (window as DirectoryPickerWindow).showDirectoryPicker!({
      id: "obm-download",
      mode: "readwrite",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") return null;
    throw err;
  }
}

export function folderDestination(root: FileSystemDirectoryHandle): Destination {
  const dirs = new Map<string, Promise<FileSystemDirectoryHandle>>();
  const dirOf = (parts: string[]): Promise<FileSystemDirectoryHandle> => {
    if (parts.length === 0) return Promise.resolve(root);
    const id = parts.join("/");
    let d = dirs.get(id);
    if (!d) {
      d = dirOf(parts.slice(0, -1)).then((parent) =>
        parent.getDirectoryHandle(parts.at(-1)!, { create: true }),
      );
      dirs.set(id, d);
      d.catch(() => dirs.delete(id));
    }
    return d;
  };
  return {
    async sizeOf(path) {
      try {
        const dir = await dirOf(path.slice(0, -1));
        return (await (await dir.getFileHandle(path.at(-1)!)).getFile()).size;
      } catch {
        return null;
      }
    },
    async create(path) {
      const dir = await dirOf(path.slice(0, -1));
      const handle = await dir.getFileHandle(path.at(-1)!, { create: true });
      return (await handle.createWritable({ keepExistingData: false })) as WritableStream<Uint8Array>;
    },
  };
}

/** The selection's files first (their sizes known from the listing), then each folder, a page at a time. */
export function apiSource(
  bucket: string,
  connectionId: string,
  selection: { files: { key: string; size: number }[]; prefixes: string[] },
): DownloadSource {
  const url = `/api/buckets/${encodeURIComponent(bucket)}/objects/download?connection=${encodeURIComponent(connectionId)}`;
  const sizes = new Map(selection.files.map((f) => [f.key, f.size]));
  return {
    async *pages(): AsyncIterable<RemoteFile[]> {
      for (let i = 0; i < selection.files.length; i += 1000) {
        const keys = selection.files.slice(i, i + 1000).map((f) => f.key);
        const r = await api(url, downloadResultSchema, { method: "POST", body: { keys } });
        yield r.files.map((f) => ({ ...f, size: sizes.get(f.key) ?? f.size }));
      }
      for (const prefix of selection.prefixes) {
        let cursor: string | null = null;
        do {
          const r: DownloadResult = await api(url, downloadResultSchema, {
            method: "POST",
            body: { prefix, ...(cursor ? { cursor } : {}) },
          });
          yield r.files;
          cursor = r.nextCursor;
        } while (cursor);
      }
    },
    async resign(key) {
      const r = await api(url, downloadResultSchema, { method: "POST", body: { keys: [key] } });
      return r.files[0]!.url;
    },
  };
}
