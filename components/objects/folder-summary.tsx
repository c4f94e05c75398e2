"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { formatBytes } from "@/lib/format-bytes";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { useFolderSummary, type Totals } from "./use-folder-summary";

/** On request: what a folder holds (count, size, file types, sub-folders as labels), walked page by page. */
export function FolderSummary({
  bucket,
  connectionId,
  prefix,
}: {
  bucket: string;
  connectionId: string;
  prefix: string;
}) {
  const t = useTranslations("objects");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const summary = useFolderSummary(bucket, connectionId);
  const [totals, setTotals] = useState<Totals | null>(null);
  const [complete, setComplete] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const size = (n: number) => formatBytes(n, (v, d) => format.number(v, { maximumFractionDigits: d }));
  const list = (r: { name: string; count: number }[]) =>
    [...r]
      .sort((a, b) => b.count - a.count)
      .slice(0, 30)
      .map((e) => `${e.name || "—"} (${format.number(e.count)})`)
      .join(", ") || t("summaryNone");

  async function start() {
    setError(null);
    setTotals(null);
    try {
      const r = await summary.run([prefix], setTotals);
      setTotals(r.totals);
      setComplete(r.complete);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section
      aria-label={t("summaryTitle", { path: `${bucket}/${prefix}` })}
      className="flex flex-col gap-2 text-sm"
    >
      <div className="flex items-center gap-3">
        {summary.running ? (
          <>
            <span role="status">{t("summarizing", { objects: totals?.objects ?? 0 })}</span>
            <Button variant="ghost" onClick={summary.cancel}>
              {t("cancel")}
            </Button>
          </>
        ) : (
          <Button variant="secondary" onClick={start}>
            {t("summarize")}
          </Button>
        )}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {totals && !summary.running ? (
        <div className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <p className="font-medium">
            {t("summaryObjects", { objects: totals.objects, size: size(totals.bytes) })}
          </p>
          <p>
            <span className="font-medium">{t("summaryTypes")}:</span> {list(totals.extensions)}
          </p>
          <p>
            <span className="font-medium">{t("summaryLabels")}:</span> {list(totals.subfolders)}
          </p>
          {complete ? null : <p className="text-amber-800 dark:text-amber-300">{t("summaryCancelled")}</p>}
        </div>
      ) : null}
    </section>
  );
}
