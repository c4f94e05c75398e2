"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { api } from "@/lib/api-client";
import {
  abortStaleResultSchema,
  incompleteResultSchema,
  type IncompleteUpload,
} from "@/lib/validation/uploads";
import { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { browserHref } from "@/lib/browser-path";
import { PickButton } from "./pick-button";
import { useUploads } from "./upload-provider";

type Confirm = { kind: "one"; upload: IncompleteUpload } | { kind: "older"; days: number };

/**
 * A bucket's unfinished multipart uploads: resume the ones this browser started (pick the file again),
 * abort one, or abort every one older than N days.
 */
export function IncompleteUploads({ bucket, connectionId }: { bucket: string; connectionId: string }) {
  const t = useTranslations("uploads");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const { leftovers, resumeWith, onSettled } = useUploads();
  const id = useId();
  const [uploads, setUploads] = useState<IncompleteUpload[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [days, setDays] = useState(7);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/buckets/${encodeURIComponent(bucket)}/uploads`;
  const query = `connection=${encodeURIComponent(connectionId)}`;

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await api(
          `${base}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          incompleteResultSchema,
        );
        setUploads((old) => (cursor ? [...old, ...page.uploads] : page.uploads));
        setNext(page.nextCursor);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setLoading(false);
      }
    },
    [base, query, errorMessage],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading on mount is the point
    void load(null);
  }, [load]);
  useEffect(() => onSettled((b) => b.target.bucket === bucket && void load(null)), [onSettled, bucket, load]);

  const run = async (c: Confirm) => {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      if (c.kind === "one") {
        await api(
          `${base}/${encodeURIComponent(c.upload.uploadId)}/abort?${query}`,
          z.object({ aborted: z.boolean() }),
          {
            method: "POST",
            body: { key: c.upload.key },
          },
        );
        setNotice(t("abortedCount", { count: 1 }));
      } else {
        let aborted = 0;
        let cursor: string | null = null;
        do {
          const step: z.infer<typeof abortStaleResultSchema> = await api(
            `${base}/abort-stale?${query}`,
            abortStaleResultSchema,
            { method: "POST", body: { olderThanDays: c.days, prefix: "", ...(cursor ? { cursor } : {}) } },
          );
          aborted += step.aborted;
          cursor = step.nextCursor;
        } while (cursor);
        setNotice(t("abortedCount", { count: aborted }));
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      void load(null);
    }
  };

  // The confirmation names how many uploads go (of those loaded; "+" when the list has more pages).
  const olderThan = (d: number) =>
    uploads.filter((u) => u.initiated !== null && Date.parse(u.initiated) <= Date.now() - d * 86_400_000)
      .length;
  const mine = new Map(leftovers.filter((r) => r.target.bucket === bucket).map((r) => [r.uploadId, r]));
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title={t("incompleteTitle", { bucket })}
        intro={t("incompleteIntro")}
        actions={
          <Link
            href={browserHref(bucket, "", query)}
            className="rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800"
          >
            {t("backToBucket")}
          </Link>
        }
      />
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirm({ kind: "older", days });
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-days`} className="text-sm font-medium">
            {t("abortOlder")}
          </label>
          <div className="flex items-center gap-2">
            <input
              id={`${id}-days`}
              type="number"
              min={0}
              max={3650}
              value={days}
              onChange={(e) => setDays(Math.max(0, Math.min(3650, Math.trunc(Number(e.target.value) || 0))))}
              className="w-24 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
            />
            <span className="text-sm">{t("days")}</span>
          </div>
        </div>
        <Button type="submit" variant="danger" disabled={busy || uploads.length === 0}>
          {t("abortOlderButton")}
        </Button>
      </form>

      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}

      {!loading && uploads.length === 0 && !error ? (
        <EmptyState message={t("incompleteNone")} />
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 dark:border-slate-700">
            <tr>
              <th scope="col" className="py-2 pr-3">
                {t("incompleteKey")}
              </th>
              <th scope="col" className="py-2 pr-3">
                {t("incompleteStarted")}
              </th>
              <th scope="col" className="py-2">
                {t("incompleteActions")}
              </th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((u) => {
              const record = mine.get(u.uploadId);
              return (
                <tr key={u.uploadId} className="border-b border-slate-100 dark:border-slate-800">
                  <td className="py-2 pr-3 break-all">{u.key}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">
                    {u.initiated
                      ? format.dateTime(new Date(u.initiated), { dateStyle: "medium", timeStyle: "short" })
                      : ""}
                  </td>
                  <td className="flex flex-wrap gap-2 py-2">
                    {record ? (
                      <PickButton
                        label={t("resumeHere")}
                        variant="secondary"
                        aria-label={t("resumeHereHint", { name: record.file.name })}
                        onFiles={(files) => {
                          const n = resumeWith([...files]);
                          setNotice(n > 0 ? t("resumeMatched", { count: n }) : t("resumeNoMatch"));
                        }}
                      />
                    ) : null}
                    <Button
                      variant="ghost"
                      aria-label={t("abortOne", { key: u.key })}
                      disabled={busy}
                      onClick={() => setConfirm({ kind: "one", upload: u })}
                    >
                      {t("abort")}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next ? (
        <Button variant="secondary" onClick={() => void load(next)} disabled={loading}>
          {t("loadMore")}
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === "one" ? t("abortOne", { key: confirm.upload.key }) : t("abortOlderButton")}
        message={
          confirm?.kind === "one"
            ? t("abortOneConfirm", { key: confirm.upload.key })
            : t("abortOlderConfirm", {
                days: confirm?.days ?? days,
                count: olderThan(confirm?.days ?? days),
                more: next !== null ? "true" : "false",
              })
        }
        confirmLabel={t("abort")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const c = confirm;
          setConfirm(null);
          if (c) void run(c);
        }}
      />
    </div>
  );
}
