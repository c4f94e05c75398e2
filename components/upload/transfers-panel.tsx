"use client";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { api } from "@/lib/api-client";
import { withAppCorsRule } from "@/lib/bucket-rules";
import { formatBytes } from "@/lib/format-bytes";
import { formatDuration } from "@/lib/format-duration";
import type { UploadItem } from "@/lib/upload/engine";
import { entriesFromInput } from "@/lib/upload/pick";
import type { UploadTarget } from "@/lib/upload/types";
import { corsSchema } from "@/lib/validation/buckets";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { useStoreErrorMessage } from "@/components/ui/use-store-error-message";
import { PickButton } from "./pick-button";
import { useEngineVersion, useUploads } from "./upload-provider";

const ROW_HEIGHT = 52;

/**
 * The transfers panel, on every page of the console: total and per-file progress, speed and time left,
 * pause, cancel, retry, the fix for a bucket whose CORS blocks uploads, and uploads left from an earlier
 * visit to resume.
 */
export function TransfersPanel() {
  const t = useTranslations("uploads");
  const format = useFormatter();
  const locale = useLocale();
  const { engine, leftovers, resumeWith, discardLeftovers, error, publicPage } = useUploads();
  useEngineVersion(engine);
  const stats = engine.stats();
  const [open, setOpen] = useState(true);
  const [confirm, setConfirm] = useState<"cancel" | "discard" | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const listId = useId();
  const headingId = useId();
  const bytes = (n: number) => formatBytes(n, (v, d) => format.number(v, { maximumFractionDigits: d }));

  if (stats.files === 0 && leftovers.length === 0 && stats.preparing === 0 && !error) return null;

  const items = engine.items;
  const unfinished = stats.active + stats.failed;
  const corsBlocked = [
    ...new Map(
      items
        .filter((i) => i.status === "failed" && i.error?.code === "CorsNotAllowed")
        .map((i) => [`${i.batch.target.connectionId}/${i.batch.target.bucket}`, i.batch.target]),
    ).values(),
  ];
  const summary =
    stats.failed > 0
      ? t("summaryFailed", { done: stats.done, failed: stats.failed })
      : t("summary", { done: stats.done, files: stats.files });
  const pick = (files: FileList) => {
    const n = resumeWith(entriesFromInput(files).flatMap((e) => (e.kind === "file" ? [e.file] : [])));
    setNote(n > 0 ? t("resumeMatched", { count: n }) : t("resumeNoMatch"));
  };

  return (
    <section
      aria-labelledby={headingId}
      className="fixed right-4 bottom-4 z-40 flex max-h-[70vh] w-[min(34rem,calc(100vw-2rem))] flex-col rounded-xl border border-slate-200 bg-white text-slate-900 shadow-2xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-700">
        <h2 id={headingId} className="font-semibold">
          {t("panelTitle")}
        </h2>
        <span className="truncate text-sm" role="status">
          {stats.preparing > 0 ? t("preparing") : stats.files > 0 ? summary : null}
        </span>
        <Button variant="ghost" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          {open ? t("hide") : t("show")}
        </Button>
      </div>
      {open ? (
        <div id={listId} className="flex min-h-0 flex-col gap-3 overflow-auto px-4 py-3">
          {error ? <Alert tone="error">{error}</Alert> : null}
          {note ? <Alert tone="info">{note}</Alert> : null}
          {corsBlocked.map((target) =>
            publicPage ? (
              <Alert key="cors" tone="error">
                {t("corsBlockedPublic")}
              </Alert>
            ) : (
              <CorsFix
                key={`${target.connectionId}/${target.bucket}`}
                target={target}
                onFixed={() => engine.retryFailed()}
              />
            ),
          )}

          {leftovers.length > 0 ? (
            <div className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950">
              <p className="font-medium">{t("resumeTitle", { count: leftovers.length })}</p>
              <p>{t("resumeHint")}</p>
              <ul className="list-inside list-disc">
                {leftovers.slice(0, 5).map((r) => (
                  <li key={r.uploadId} className="break-all">
                    {r.target.bucket}/{r.key} ({bytes(r.file.size)})
                  </li>
                ))}
              </ul>
              <div className="flex flex-wrap gap-2">
                <PickButton label={t("resumePickFiles")} variant="secondary" onFiles={pick} />
                <PickButton label={t("resumePickFolder")} folder variant="secondary" onFiles={pick} />
                <Button variant="ghost" onClick={() => setConfirm("discard")}>
                  {t("discard")}
                </Button>
              </div>
            </div>
          ) : null}

          {stats.files > 0 ? (
            <>
              <div className="flex flex-col gap-1 text-sm">
                <progress
                  aria-label={t("totalProgress")}
                  max={Math.max(1, stats.totalBytes)}
                  value={stats.sentBytes}
                  className="h-2 w-full accent-brand-600"
                />
                <div className="flex flex-wrap gap-x-3 text-slate-600 dark:text-slate-300">
                  <span>{t("bytes", { sent: bytes(stats.sentBytes), total: bytes(stats.totalBytes) })}</span>
                  {stats.paused ? <span>{t("paused")}</span> : null}
                  {!stats.paused && stats.speed > 0 && stats.active > 0 ? (
                    <span>{t("speed", { speed: bytes(stats.speed) })}</span>
                  ) : null}
                  {!stats.paused && stats.eta !== null ? (
                    <span>{t("eta", { time: formatDuration(stats.eta, locale) })}</span>
                  ) : null}
                  {stats.skipped > 0 ? <span>{t("summarySkipped", { count: stats.skipped })}</span> : null}
                  {stats.cancelled > 0 ? (
                    <span>{t("summaryCancelled", { count: stats.cancelled })}</span>
                  ) : null}
                </div>
              </div>
              <div className="flex flex-wrap gap-2">
                {stats.active > 0 ? (
                  stats.paused ? (
                    <Button variant="secondary" onClick={() => engine.unpause()}>
                      {t("resume")}
                    </Button>
                  ) : (
                    <Button variant="secondary" onClick={() => engine.pause()}>
                      {t("pause")}
                    </Button>
                  )
                ) : null}
                {stats.failed > 0 ? (
                  <Button onClick={() => engine.retryFailed()}>{t("retryFailed")}</Button>
                ) : null}
                {unfinished > 0 ? (
                  <Button variant="secondary" onClick={() => setConfirm("cancel")}>
                    {t("cancelAll")}
                  </Button>
                ) : null}
                {stats.done + stats.skipped + stats.cancelled > 0 ? (
                  <Button variant="ghost" onClick={() => engine.clearFinished()}>
                    {t("clearFinished")}
                  </Button>
                ) : null}
              </div>
              <ItemList items={items} bytes={bytes} />
            </>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "discard" ? t("discard") : t("cancelAll")}
        message={
          confirm === "discard"
            ? t("discardConfirm", { count: leftovers.length })
            : t("cancelAllConfirm", { count: unfinished })
        }
        confirmLabel={confirm === "discard" ? t("discard") : t("cancelAll")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm === "discard") void discardLeftovers();
          else void engine.cancelAll();
          setConfirm(null);
        }}
      />
    </section>
  );
}

function ItemList({ items, bytes }: { items: UploadItem[]; bytes: (n: number) => string }) {
  const t = useTranslations("uploads");
  const storeMessage = useStoreErrorMessage();
  const { engine } = useUploads();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the list re-renders with the engine anyway
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const errorText = (it: UploadItem) => {
    const code = it.error?.code ?? "unknown";
    if (code === "network" || code === "Stalled" || code === "unreadable" || code === "NoETag")
      return t(`errors.${code}`);
    return storeMessage(code, t("errors.unknown", { message: it.error?.message ?? code }));
  };
  return (
    <div ref={scrollRef} className="max-h-72 overflow-auto" role="list" aria-label={t("panelTitle")}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((v) => {
          const it = items[v.index]!;
          const name = it.key.split("/").filter(Boolean).pop() ?? it.key;
          const sent =
            it.sent +
            (it.single?.loaded ?? 0) +
            [...(it.multi?.running.values() ?? [])].reduce((s, r) => s + r.loaded, 0);
          return (
            <div
              key={it.id}
              role="listitem"
              className="absolute inset-x-0 flex flex-col justify-center gap-1 border-b border-slate-100 py-1 text-sm dark:border-slate-800"
              style={{ top: v.start, height: ROW_HEIGHT }}
            >
              <div className="flex items-center gap-2">
                <span className="min-w-0 flex-1 truncate" title={it.key}>
                  {it.key}
                </span>
                <span className="shrink-0 text-xs text-slate-500 dark:text-slate-400">
                  {bytes(it.size)} · {t(`status.${it.status}`)}
                  {it.resumed ? ` · ${t("resumed")}` : ""}
                </span>
                {it.status === "waiting" || it.status === "uploading" || it.status === "failed" ? (
                  <Button
                    variant="ghost"
                    className="shrink-0 px-2 py-0.5"
                    aria-label={t("cancelFile", { name })}
                    onClick={() => void engine.cancel(it)}
                  >
                    ×
                  </Button>
                ) : null}
              </div>
              {it.status === "failed" ? (
                <span className="truncate text-xs text-red-700 dark:text-red-300" title={errorText(it)}>
                  {errorText(it)}
                </span>
              ) : (
                <progress
                  aria-label={t("fileProgress", { name })}
                  max={Math.max(1, it.size)}
                  value={it.status === "done" ? Math.max(1, it.size) : Math.min(sent, it.size)}
                  className="h-1 w-full accent-brand-600"
                />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** "Allow uploads from this app": adds the app's CORS rule to the bucket, keeping its other rules. */
function CorsFix({ target, onFixed }: { target: UploadTarget; onFixed: () => void }) {
  const t = useTranslations("uploads");
  const errorMessage = useApiErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fix = async () => {
    setBusy(true);
    setError(null);
    const path = `/api/buckets/${encodeURIComponent(target.bucket)}/cors?connection=${encodeURIComponent(target.connectionId)}`;
    try {
      const current = await api(path, corsSchema);
      await api(path, corsSchema, {
        method: "PUT",
        body: { rules: withAppCorsRule(current.rules, window.location.origin) },
      });
      onFixed();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <Alert tone="error">{t("corsBlocked", { bucket: target.bucket })}</Alert>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button onClick={() => void fix()} disabled={busy}>
        {busy ? t("corsFixing") : t("corsFix")}
      </Button>
    </div>
  );
}
