"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { shareFilesSchema } from "@/lib/validation/shares";
import { Alert } from "@/components/ui/alert";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

type Files = ReturnType<typeof shareFilesSchema.parse>["files"];

/** What an upload request received: where each file landed, its size, and whether it has arrived. */
export function ReceivedFiles({ shareId }: { shareId: string }) {
  const t = useTranslations("shares");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const [files, setFiles] = useState<Files | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api(`/api/shares/${encodeURIComponent(shareId)}/files`, shareFilesSchema, { signal: controller.signal })
      .then((r) => setFiles(r.files))
      .catch((err: unknown) => {
        if (!(err instanceof DOMException && err.name === "AbortError")) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [shareId, errorMessage]);
  if (error) return <Alert tone="error">{error}</Alert>;
  if (!files) return <p role="status">{t("loadingFiles")}</p>;
  if (files.length === 0) return <p className="text-sm">{t("noFiles")}</p>;
  return (
    <table className="mt-2 w-full text-left text-sm">
      <caption className="sr-only">{t("filesCaption")}</caption>
      <thead>
        <tr>
          <th scope="col" className="py-1 pr-3">
            {t("fileKey")}
          </th>
          <th scope="col" className="py-1 pr-3">
            {t("fileSize")}
          </th>
          <th scope="col" className="py-1">
            {t("fileState")}
          </th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.key} className="border-t border-slate-100 dark:border-slate-800">
            <td className="py-1 pr-3 break-all">{f.key}</td>
            <td className="py-1 pr-3">
              {formatBytes(f.size, (v, d) => format.number(v, { maximumFractionDigits: d }))}
            </td>
            <td className="py-1">{f.status === "done" ? t("arrived") : t("pending")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
