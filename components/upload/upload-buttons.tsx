"use client";
import { useTranslations } from "next-intl";
import { useState, type DragEvent, type ReactNode } from "react";
import { entriesFromDrop, entriesFromInput } from "@/lib/upload/pick";
import type { UploadTarget } from "@/lib/upload/types";
import { PickButton } from "./pick-button";
import { useUploads } from "./upload-provider";

/** "Upload files" and "Upload folder": native pickers behind ordinary buttons. */
export function UploadButtons({ target, prefix }: { target: UploadTarget; prefix: string }) {
  const t = useTranslations("uploads");
  const { upload } = useUploads();
  const onFiles = (list: FileList) => void upload(target, prefix, entriesFromInput(list));
  return (
    <div className="flex flex-wrap gap-2">
      <PickButton label={t("uploadFiles")} onFiles={onFiles} />
      <PickButton label={t("uploadFolder")} folder variant="secondary" onFiles={onFiles} />
    </div>
  );
}

/** Files and folders dropped anywhere on the listing go to the folder being browsed. */
export function DropZone({
  target,
  prefix,
  label,
  children,
}: {
  target: UploadTarget;
  prefix: string;
  label: string;
  children: ReactNode;
}) {
  const t = useTranslations("uploads");
  const { upload } = useUploads();
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes("Files");
  return (
    <div
      className="relative"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        void entriesFromDrop(e.dataTransfer.items).then((entries) => {
          if (entries.length > 0) return upload(target, prefix, entries);
        });
      }}
    >
      {children}
      {over ? (
        <div
          className="pointer-events-none absolute inset-0 z-30 flex items-center justify-center rounded-xl border-2 border-dashed border-brand-600 bg-brand-50/90 p-6 text-center font-medium text-brand-800 dark:bg-slate-900/90 dark:text-brand-100"
          aria-hidden="true"
        >
          {t("dropHere", { path: label })}
        </div>
      ) : null}
    </div>
  );
}
