"use client";
import { useTranslations } from "next-intl";
import { useRef, useState, type DragEvent, type ReactNode } from "react";
import { entriesFromDrop, entriesFromInput } from "@/lib/upload/pick";
import type { UploadTarget } from "@/lib/upload/types";
import { Button } from "@/components/ui/button";
import { useUploads } from "./upload-provider";

/** "Upload files" and "Upload folder": native pickers behind ordinary buttons. */
export function UploadButtons({ target, prefix }: { target: UploadTarget; prefix: string }) {
  const t = useTranslations("uploads");
  const { upload } = useUploads();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const onPick = (list: FileList | null, input: HTMLInputElement) => {
    if (list && list.length > 0) void upload(target, prefix, entriesFromInput(list));
    input.value = "";
  };
  return (
    <div className="flex flex-wrap gap-2">
      <Button onClick={() => files.current?.click()}>{t("uploadFiles")}</Button>
      <Button variant="secondary" onClick={() => folder.current?.click()}>
        {t("uploadFolder")}
      </Button>
      <input
        ref={files}
        type="file"
        multiple
        hidden
        aria-label={t("uploadFiles")}
        onChange={(e) => onPick(e.target.files, e.target)}
      />
      <input
        ref={folder}
        type="file"
        hidden
        aria-label={t("uploadFolder")}
        {...{ webkitdirectory: "" }}
        onChange={(e) => onPick(e.target.files, e.target)}
      />
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
