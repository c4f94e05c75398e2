"use client";
import { useLocale, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import type { z } from "zod";
import { api } from "@/lib/api-client";
import { OBS_REGIONS } from "@/lib/obs/regions";
import {
  bucketNameProblem,
  bucketNameWarnings,
  createBucketResultSchema,
  type BucketAcl,
  type StorageClass,
} from "@/lib/validation/buckets";
import type { Connection } from "@/lib/validation/connections";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

type Result = z.infer<typeof createBucketResultSchema>;
const CLASSES: StorageClass[] = ["STANDARD", "WARM", "COLD", "DEEP_ARCHIVE"];
const ACLS: BucketAcl[] = ["private", "public-read", "public-read-write"];
const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900";

export function CreateBucketForm({
  connection,
  onCreated,
  onCancel,
}: {
  connection: Connection;
  onCreated: (r: Result) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("buckets");
  const tc = useTranslations("common");
  const locale = useLocale();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [name, setName] = useState("");
  const [touched, setTouched] = useState(false);
  const [region, setRegion] = useState(connection.region);
  const [storageClass, setStorageClass] = useState<StorageClass>("STANDARD");
  const [acl, setAcl] = useState<BucketAcl>("private");
  const [versioning, setVersioning] = useState(false);
  const [browserUploads, setBrowserUploads] = useState(true);
  const [abort, setAbort] = useState(true);
  const [days, setDays] = useState("7");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const problem = bucketNameProblem(name);
  const warnings = problem ? [] : bucketNameWarnings(name, connection.addressing);
  const daysNumber = Number(days);
  const daysInvalid = abort && !(Number.isInteger(daysNumber) && daysNumber >= 1 && daysNumber <= 3650);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTouched(true);
    if (problem || daysInvalid) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api(
        `/api/buckets?connection=${encodeURIComponent(connection.id)}`,
        createBucketResultSchema,
        {
          method: "POST",
          body: {
            name,
            region,
            storageClass,
            acl,
            versioning,
            browserUploads,
            abortIncompleteAfterDays: abort ? daysNumber : null,
          },
        },
      );
      onCreated(result);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={t("createTitle")}
      className="flex max-w-2xl flex-col gap-5"
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-name`} className="text-sm font-medium">
          {t("name")}
        </label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => setTouched(true)}
          aria-invalid={touched && problem ? true : undefined}
          aria-describedby={`${id}-name-hint ${id}-name-rule`}
          autoComplete="off"
          spellCheck={false}
          className={inputClass}
        />
        <p id={`${id}-name-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {t("nameHint")}
        </p>
        <p
          id={`${id}-name-rule`}
          aria-live="polite"
          className={`text-xs ${problem && (touched || name) ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}
        >
          {name || touched ? (problem ? `${t("name")}: ${t(`rules.${problem}`)}` : t("nameOk")) : ""}
        </p>
        {warnings.includes("dots_virtual_hosted") ? <Alert tone="info">{t("dotsWarning")}</Alert> : null}
      </div>

      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-region`} className="text-sm font-medium">
          {t("region")}
        </label>
        {connection.provider === "obs" ? (
          <select
            id={`${id}-region`}
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            className={inputClass}
          >
            {OBS_REGIONS.some((r) => r.id === region) ? null : <option value={region}>{region}</option>}
            {OBS_REGIONS.map((r) => (
              <option key={r.id} value={r.id}>{`${locale === "zh-CN" ? r.zh : r.en} (${r.id})`}</option>
            ))}
          </select>
        ) : (
          <input
            id={`${id}-region`}
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            className={inputClass}
          />
        )}
        <p className="text-xs text-slate-600 dark:text-slate-400">{t("regionHint")}</p>
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("storageClass")}</legend>
        {CLASSES.map((c) => (
          <label key={c} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="storageClass"
              checked={storageClass === c}
              onChange={() => setStorageClass(c)}
              className="mt-1"
            />
            {t(`storageClasses.${c}`)}
          </label>
        ))}
      </fieldset>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("acl")}</legend>
        {ACLS.map((a) => (
          <label key={a} className="flex items-start gap-2 text-sm">
            <input type="radio" name="acl" checked={acl === a} onChange={() => setAcl(a)} className="mt-1" />
            {t(`acls.${a}`)}
          </label>
        ))}
        {acl !== "private" ? (
          <Alert tone="error">
            {t("publicWarning", { what: acl === "public-read" ? t("publicRead") : t("publicReadWrite") })}
          </Alert>
        ) : null}
      </fieldset>

      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={versioning} onChange={(e) => setVersioning(e.target.checked)} />
        {t("versioning")}
      </label>
      <div className="flex flex-col gap-1">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={browserUploads}
            onChange={(e) => setBrowserUploads(e.target.checked)}
            aria-describedby={`${id}-cors-hint`}
          />
          {t("browserUploads")}
        </label>
        <p id={`${id}-cors-hint`} className="ml-6 text-xs text-slate-600 dark:text-slate-400">
          {t("browserUploadsHint")}
        </p>
      </div>
      <div className="flex flex-col gap-2">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={abort}
            onChange={(e) => setAbort(e.target.checked)}
            aria-describedby={`${id}-abort-hint`}
          />
          {t("abortIncomplete")}
        </label>
        {abort ? (
          <div className="ml-6 flex flex-col gap-1">
            <label htmlFor={`${id}-days`} className="text-sm">
              {t("abortDays")}
            </label>
            <input
              id={`${id}-days`}
              type="number"
              min={1}
              max={3650}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              aria-invalid={daysInvalid ? true : undefined}
              className={`${inputClass} w-28`}
            />
          </div>
        ) : null}
        <p id={`${id}-abort-hint`} className="ml-6 text-xs text-slate-600 dark:text-slate-400">
          {t("abortHint")}
        </p>
      </div>

      <div className="flex gap-3">
        <Button type="submit" disabled={busy}>
          {busy ? t("creating") : t("create")}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {tc("cancel")}
        </Button>
      </div>
    </form>
  );
}
