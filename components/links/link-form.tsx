"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useState, type FormEvent } from "react";
import type { z } from "zod";
import { api } from "@/lib/api-client";
import { bucketListSchema, bucketNameProblem } from "@/lib/validation/buckets";
import { can } from "@/lib/access/can";
import type { Connection } from "@/lib/validation/connections";
import { LINK_PRESETS, MAX_LINK_SECONDS, presignResultSchema } from "@/lib/validation/links";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConnectionSelect } from "@/components/ui/connection-select";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

export type PresignResult = z.infer<typeof presignResultSchema>;
type Preset = (typeof LINK_PRESETS)[number]["key"] | "custom";
const UNIT_SECONDS = { minutes: 60, hours: 3600, days: 86400 } as const;
const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900";

export function LinkForm({
  connections,
  onCreated,
}: {
  connections: Connection[];
  onCreated: (r: PresignResult) => void;
}) {
  const t = useTranslations("links");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [connectionId, setConnectionId] = useState(
    (connections.find((c) => c.isDefault) ?? connections[0])!.id,
  );
  const [buckets, setBuckets] = useState<string[]>([]);
  const [bucket, setBucket] = useState("");
  const [target, setTarget] = useState<"key" | "prefix">("key");
  const [path, setPath] = useState("");
  const [method, setMethod] = useState<"GET" | "PUT">("GET");
  const [disposition, setDisposition] = useState<"attachment" | "inline">("attachment");
  const [contentType, setContentType] = useState("");
  const [maxSizeMb, setMaxSizeMb] = useState("");
  const [preset, setPreset] = useState<Preset>("1h");
  const [customValue, setCustomValue] = useState("2");
  const [unit, setUnit] = useState<keyof typeof UNIT_SECONDS>("hours");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const connection = connections.find((c) => c.id === connectionId)!;

  useEffect(() => {
    const controller = new AbortController();
    api(`/api/buckets?connection=${encodeURIComponent(connectionId)}`, bucketListSchema, {
      signal: controller.signal,
    })
      .then((r) => setBuckets(r.buckets.map((b) => b.name)))
      .catch(() => setBuckets([]));
    return () => controller.abort();
  }, [connectionId]);

  const seconds =
    preset === "custom"
      ? Math.round(Number(customValue) * UNIT_SECONDS[unit])
      : LINK_PRESETS.find((p) => p.key === preset)!.seconds;
  const expiryProblem = !(seconds >= 1) ? t("tooShort") : seconds > MAX_LINK_SECONDS ? t("tooLong") : null;
  const tokenExpiry =
    connection.hasSessionToken && connection.sessionTokenExpiresAt
      ? new Date(connection.sessionTokenExpiresAt)
      : null;

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (expiryProblem || bucketNameProblem(bucket)) {
      setError(expiryProblem ?? `${t("bucket")}: ${bucket}`);
      return;
    }
    setBusy(true);
    setError(null);
    const isFolder = target === "prefix" && method === "GET";
    try {
      const r = await api(
        `/api/buckets/${encodeURIComponent(bucket)}/presign?connection=${encodeURIComponent(connectionId)}`,
        presignResultSchema,
        {
          method: "POST",
          body: {
            ...(isFolder ? { prefix: path && !path.endsWith("/") ? `${path}/` : path } : { key: path }),
            method,
            expiresIn: seconds,
            ...(method === "GET" ? { disposition } : {}),
            ...(method === "PUT" && contentType.trim() ? { contentType: contentType.trim() } : {}),
            ...(method === "PUT" && Number(maxSizeMb) > 0
              ? { maxSizeBytes: Math.round(Number(maxSizeMb) * 1024 * 1024) }
              : {}),
          },
        },
      );
      onCreated(r);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("newTitle")} className="flex max-w-2xl flex-col gap-5">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <ConnectionSelect
        connections={connections}
        value={connectionId}
        onChange={setConnectionId}
        label={t("connection")}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-bucket`} className="text-sm font-medium">
          {t("bucket")}
        </label>
        <input
          id={`${id}-bucket`}
          list={`${id}-buckets`}
          value={bucket}
          onChange={(e) => setBucket(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className={inputClass}
        />
        <datalist id={`${id}-buckets`}>
          {buckets.map((b) => (
            <option key={b} value={b} />
          ))}
        </datalist>
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("method")}</legend>
        {(["GET", "PUT"] as const)
          // Upload links need the uploader role on a shared key.
          .filter((m) => m === "GET" || can(connection.access, "uploads.plan"))
          .map((m) => (
            <label key={m} className="flex items-center gap-2 text-sm">
              <input type="radio" name="method" checked={method === m} onChange={() => setMethod(m)} />
              {t(`methods.${m}`)}
            </label>
          ))}
      </fieldset>

      {method === "GET" ? (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">{t("target")}</legend>
          {(["key", "prefix"] as const).map((k) => (
            <label key={k} className="flex items-center gap-2 text-sm">
              <input type="radio" name="target" checked={target === k} onChange={() => setTarget(k)} />
              {t(`targets.${k}`)}
            </label>
          ))}
        </fieldset>
      ) : null}

      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-path`} className="text-sm font-medium">
          {target === "prefix" && method === "GET" ? t("prefix") : t("key")}
        </label>
        <input
          id={`${id}-path`}
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
          aria-describedby={target === "prefix" && method === "GET" ? `${id}-path-hint` : undefined}
          className={inputClass}
        />
        {target === "prefix" && method === "GET" ? (
          <p id={`${id}-path-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            {t("prefixHint")}
          </p>
        ) : null}
      </div>

      {method === "GET" ? (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">{t("disposition")}</legend>
          {(["attachment", "inline"] as const).map((d) => (
            <label key={d} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="disposition"
                checked={disposition === d}
                onChange={() => setDisposition(d)}
              />
              {t(`dispositions.${d}`)}
            </label>
          ))}
        </fieldset>
      ) : (
        <>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-ct`} className="text-sm font-medium">
              {t("contentType")}
            </label>
            <input
              id={`${id}-ct`}
              value={contentType}
              onChange={(e) => setContentType(e.target.value)}
              aria-describedby={`${id}-ct-hint`}
              className={inputClass}
            />
            <p id={`${id}-ct-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("contentTypeHint")}
            </p>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-size`} className="text-sm font-medium">
              {t("maxSize")}
            </label>
            <input
              id={`${id}-size`}
              type="number"
              min={0}
              value={maxSizeMb}
              onChange={(e) => setMaxSizeMb(e.target.value)}
              aria-describedby={`${id}-size-hint`}
              className={`${inputClass} w-40`}
            />
            <p id={`${id}-size-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("maxSizeHint")}
            </p>
          </div>
        </>
      )}

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("expiry")}</legend>
        <div className="flex flex-wrap gap-4">
          {[...LINK_PRESETS.map((p) => p.key), "custom" as const].map((p) => (
            <label key={p} className="flex items-center gap-2 text-sm">
              <input type="radio" name="expiry" checked={preset === p} onChange={() => setPreset(p)} />
              {p === "custom" ? t("custom") : t(`presets.${p}`)}
            </label>
          ))}
        </div>
        {preset === "custom" ? (
          <div className="flex items-end gap-3">
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-custom`} className="text-sm">
                {t("customValue")}
              </label>
              <input
                id={`${id}-custom`}
                type="number"
                min={1}
                value={customValue}
                onChange={(e) => setCustomValue(e.target.value)}
                aria-invalid={expiryProblem ? true : undefined}
                aria-describedby={`${id}-expiry-problem`}
                className={`${inputClass} w-28`}
              />
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-unit`} className="text-sm">
                {t("unit")}
              </label>
              <select
                id={`${id}-unit`}
                value={unit}
                onChange={(e) => setUnit(e.target.value as keyof typeof UNIT_SECONDS)}
                className={inputClass}
              >
                {(Object.keys(UNIT_SECONDS) as (keyof typeof UNIT_SECONDS)[]).map((u) => (
                  <option key={u} value={u}>
                    {t(`units.${u}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : null}
        <p id={`${id}-expiry-problem`} aria-live="polite" className="text-xs text-red-700 dark:text-red-400">
          {expiryProblem ?? ""}
        </p>
        {tokenExpiry ? (
          <Alert tone="info">
            {t("temporaryNote", {
              time: format.dateTime(tokenExpiry, { dateStyle: "medium", timeStyle: "short" }),
            })}
          </Alert>
        ) : null}
      </fieldset>

      <div>
        <Button type="submit" disabled={busy}>
          {busy ? t("creating") : t("create")}
        </Button>
      </div>
    </form>
  );
}
