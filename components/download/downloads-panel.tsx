"use client";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useId, useState, useSyncExternalStore } from "react";
import type { FolderDownload } from "@/lib/download/manager";
import { downloadStore } from "@/lib/download/store";
import { formatBytes } from "@/lib/format-bytes";
import { formatDuration } from "@/lib/format-duration";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

const empty: FolderDownload[] = [];

/** Folder downloads under way on this page: progress, speed, time left, pause, resume, cancel, failures. */
export function DownloadsPanel() {
  const t = useTranslations("downloads");
  const downloads = useSyncExternalStore(downloadStore.subscribe, downloadStore.list, () => empty);
  const headingId = useId();
  if (downloads.length === 0) return null;
  return (
    <section
      aria-labelledby={headingId}
      className="fixed bottom-4 left-4 z-40 flex max-h-[50vh] w-[min(28rem,calc(100vw-2rem))] flex-col gap-3 overflow-auto rounded-xl border border-slate-200 bg-white px-4 py-3 text-slate-900 shadow-2xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id={headingId} className="font-semibold">
        {t("panelTitle")}
      </h2>
      <ul className="flex flex-col gap-3">
        {downloads.map((d) => (
          <DownloadRow key={d.id} download={d} />
        ))}
      </ul>
    </section>
  );
}

function DownloadRow({ download }: { download: FolderDownload }) {
  const t = useTranslations("downloads");
  const format = useFormatter();
  const locale = useLocale();
  const s = download.snapshot();
  const [showFailed, setShowFailed] = useState(false);
  const bytes = (n: number) => formatBytes(n, (v, d) => format.number(v, { maximumFractionDigits: d }));
  const finished = s.status === "done" || s.status === "cancelled" || s.status === "failed";
  const left = s.speed > 0 && s.listed ? (s.bytesTotal - s.bytesDone) / s.speed : null;
  const percent = s.bytesTotal > 0 ? Math.min(100, Math.round((s.bytesDone / s.bytesTotal) * 100)) : 0;
  return (
    <li className="flex flex-col gap-1 text-sm">
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-medium">{s.label}</span>
        <span className="shrink-0">{t(`status.${s.status}`)}</span>
      </div>
      <progress
        className="h-2 w-full"
        max={100}
        value={percent}
        aria-label={t("progressOf", { name: s.label })}
      />
      <p role="status">
        {t("counts", {
          done: s.done + s.skipped,
          files: s.files,
          skipped: s.skipped,
          bytes: bytes(s.bytesDone),
          total: bytes(s.bytesTotal),
        })}
        {!finished && s.speed > 0 ? ` · ${t("speed", { speed: bytes(s.speed) })}` : ""}
        {!finished && left !== null ? ` · ${t("left", { time: formatDuration(left, locale) })}` : ""}
      </p>
      {s.error ? <Alert tone="error">{s.error}</Alert> : null}
      {s.failed.length > 0 ? (
        <div>
          <Button variant="ghost" aria-expanded={showFailed} onClick={() => setShowFailed(!showFailed)}>
            {t("failedCount", { count: s.failed.length })}
          </Button>
          {showFailed ? (
            <ul className="max-h-32 overflow-auto text-xs">
              {s.failed.map((f) => (
                <li key={f.key}>
                  {f.key}: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {s.pausable && (s.status === "running" || s.status === "listing") ? (
          <Button variant="secondary" onClick={() => download.pause()}>
            {t("pause", { name: s.label })}
          </Button>
        ) : null}
        {s.status === "paused" ? (
          <Button variant="secondary" onClick={() => download.resume()}>
            {t("resume", { name: s.label })}
          </Button>
        ) : null}
        {!finished ? (
          <Button variant="ghost" onClick={() => download.cancel()}>
            {t("cancel", { name: s.label })}
          </Button>
        ) : (
          <Button variant="ghost" onClick={() => downloadStore.remove(download.id)}>
            {t("dismiss", { name: s.label })}
          </Button>
        )}
      </div>
    </li>
  );
}
