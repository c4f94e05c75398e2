"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { api } from "@/lib/api-client";
import { connectionTestSchema, type Connection, type ConnectionTest } from "@/lib/validation/connections";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { formatScopeLines } from "@/lib/access/scope-text";
import { SharingSection } from "./sharing-section";
import { TestResult } from "./test-result";

export function ConnectionCard({
  connection,
  onEdit,
  onDelete,
  onTested,
}: {
  connection: Connection;
  onEdit: () => void;
  onDelete: () => void;
  onTested: (result: ConnectionTest) => void;
}) {
  const t = useTranslations("accessKeys");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const bucketId = useId();
  const [bucket, setBucket] = useState("");
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = connection;
  const ts = useTranslations("sharing");
  const shared = c.access.relation === "grantee" ? c.access.grants : null;

  async function runTest(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTesting(true);
    setError(null);
    try {
      const result = await api(`/api/connections/${encodeURIComponent(c.id)}/test`, connectionTestSchema, {
        method: "POST",
        body: { bucket: bucket.trim() },
      });
      onTested(result);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setTesting(false);
    }
  }

  return (
    <li
      aria-labelledby={`${bucketId}-name`}
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={`${bucketId}-name`} className="flex items-center gap-2 text-base font-semibold">
            {c.name}
            {c.isDefault ? (
              <span className="rounded-full bg-brand-100 px-2 py-0.5 text-xs font-medium text-brand-700 dark:bg-slate-700 dark:text-white">
                {t("default")}
              </span>
            ) : null}
          </h3>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {t(`providers.${c.provider}`)} · {c.region} · <span className="break-all">{c.endpoint}</span>
          </p>
          <p className="mt-1 font-mono text-sm">{t("key", { key: c.accessKeyIdMasked })}</p>
          {c.access.relation === "admin" ? (
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              {ts("ownedBy", { owner: c.owner.username })}
            </p>
          ) : null}
          {shared ? (
            <div className="mt-2 text-sm">
              <p className="font-medium">{ts("sharedBy", { owner: c.owner.username })}</p>
              <ul className="mt-1 list-inside list-disc">
                {shared.map((g, i) => (
                  <li key={i}>
                    {ts(`roles.${g.role}`)} ·{" "}
                    {g.scope === "all" ? (
                      ts("scopeAll")
                    ) : (
                      <span className="font-mono text-xs break-all">
                        {formatScopeLines(g.scope).split("\n").join(", ")}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {c.hasSessionToken && c.sessionTokenExpiresAt ? (
            <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">
              {t("temporaryBadge", {
                time: format.dateTime(new Date(c.sessionTokenExpiresAt), {
                  dateStyle: "medium",
                  timeStyle: "short",
                }),
              })}
            </p>
          ) : null}
        </div>
        {shared ? null : (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={onEdit} aria-label={t("editNamed", { name: c.name })}>
              {t("edit")}
            </Button>
            <Button variant="ghost" onClick={onDelete} aria-label={t("deleteNamed", { name: c.name })}>
              {t("delete")}
            </Button>
          </div>
        )}
      </div>

      {shared ? null : (
        <>
          <form
            onSubmit={runTest}
            className="flex flex-wrap items-end gap-3"
            aria-label={t("testNamed", { name: c.name })}
          >
            <div className="flex min-w-56 flex-1 flex-col gap-1">
              <label htmlFor={bucketId} className="text-sm font-medium">
                {t("testBucket")}
              </label>
              <input
                id={bucketId}
                value={bucket}
                onChange={(e) => setBucket(e.target.value)}
                aria-describedby={`${bucketId}-hint`}
                spellCheck={false}
                className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
              />
              <p id={`${bucketId}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
                {t("testBucketHint")}
              </p>
            </div>
            <Button type="submit" disabled={testing} aria-label={t("testNamed", { name: c.name })}>
              {testing ? t("testing") : t("test")}
            </Button>
          </form>
          {error ? <Alert tone="error">{error}</Alert> : null}
          {c.lastTest ? (
            <TestResult result={c.lastTest} />
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">{t("neverTested")}</p>
          )}
          <SharingSection connectionId={c.id} name={c.name} ownerId={c.owner.id} />
        </>
      )}
    </li>
  );
}
