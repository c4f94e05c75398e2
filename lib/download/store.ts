import type { FolderDownload } from "./manager";

// The page's folder downloads, kept outside React so they go on while the user moves between folders.
let downloads: FolderDownload[] = [];
const listeners = new Set<() => void>();
const notify = () => {
  // A new array each time: React redraws when the snapshot it reads is a different value.
  downloads = [...downloads];
  for (const fn of listeners) fn();
};

export const downloadStore = {
  add(d: FolderDownload) {
    downloads = [...downloads, d];
    d.subscribe(notify);
    notify();
  },
  remove(id: string) {
    downloads = downloads.filter((d) => d.id !== id);
    notify();
  },
  list: () => downloads,
  subscribe(fn: () => void) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};
