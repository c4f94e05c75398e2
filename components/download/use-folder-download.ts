"use client";
import { useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";
import { apiSource, canPickFolder, folderDestination, pickFolder } from "@/lib/download/browser";
import { FolderDownload } from "@/lib/download/manager";
import { downloadStore } from "@/lib/download/store";

/**
 * Starts a folder download of a selection (files with their sizes, folders) into a folder the user picks.
 * Returns null where the browser cannot write a folder.
 */
export function useFolderDownload(bucket: string, connectionId: string, base: string) {
  const t = useTranslations("downloads");
  const supported = useSyncExternalStore(noop, canPickFolder, () => false);
  if (!supported) return null;
  return async (selection: { files: { key: string; size: number }[]; prefixes: string[] }, label: string) => {
    const root = await pickFolder();
    if (!root) return;
    const d = new FolderDownload(label, apiSource(bucket, connectionId, selection), folderDestination(root), {
      base,
      messages: {
        archived: t("archived"),
        http: (status) => t("http", { status }),
        network: t("network"),
      },
    });
    downloadStore.add(d);
    d.start();
  };
}

const noop = () => () => {};
