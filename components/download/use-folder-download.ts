"use client";
import { useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";
import { apiSource, canPickFolder, folderDestination, pickFolder } from "@/lib/download/browser";
import { FolderDownload, type Destination } from "@/lib/download/manager";
import { downloadStore } from "@/lib/download/store";
import { zipDestination } from "@/lib/download/zip";

type Mode = "folder" | "zip" | null;
const modeNow = (): Mode =>
  canPickFolder()
    ? "folder"
    : typeof navigator !== "undefined" && "serviceWorker" in navigator
      ? "zip"
      : null;

/**
 * Starts a download of a selection (files with their sizes, folders): into a folder the user picks, or, where
 * the browser has no folder picker, as one zip streamed to its downloads. Null where neither works.
 */
export function useFolderDownload(
  bucket: string,
  connectionId: string,
  base: string,
  onError: (message: string) => void,
) {
  const t = useTranslations("downloads");
  const mode = useSyncExternalStore(noop, modeNow, () => null);
  if (!mode) return null;
  return async (selection: { files: { key: string; size: number }[]; prefixes: string[] }, label: string) => {
    try {
      let dest: Destination;
      let finish: (ok: boolean) => void = () => {};
      if (mode === "folder") {
        const root = await pickFolder();
        if (!root) return;
        dest = folderDestination(root);
      } else {
        const zip = await zipDestination(`${label.replace(/\/$/, "") || bucket}.zip`);
        dest = zip.dest;
        finish = zip.finish;
      }
      const d = new FolderDownload(label, apiSource(bucket, connectionId, selection), dest, {
        base,
        ...(mode === "zip" ? { concurrency: 1, pausable: false } : {}),
        messages: {
          archived: t("archived"),
          http: (status) => t("http", { status }),
          network: t("network"),
        },
      });
      downloadStore.add(d);
      d.start();
      void d.settled.then(() => finish(d.snapshot().status === "done"));
    } catch (err) {
      onError(t("couldNotStart", { reason: err instanceof Error ? err.message : String(err) }));
    }
  };
}

const noop = () => () => {};
