"use client";
import { useLocale, useNow, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api } from "@/lib/api-client";
import { createdShareSchema, createShareSchema } from "@/lib/validation/shares";
import { fieldErrorsOf } from "@/lib/field-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

const LIFETIMES = [
  ["1h", 3600],
  ["1d", 86_400],
  ["7d", 7 * 86_400],
  ["30d", 30 * 86_400],
] as const;
const MiB = 1024 * 1024;
const CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/** Six letters and digits that read unambiguously (no 0/O, 1/l/I), from the browser's random source. */
function newCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => CODE_CHARS[b % CODE_CHARS.length]).join("");
}

const megabytes = (v: string) => (v.trim() === "" ? undefined : Math.round(Number(v) * MiB));

/**
 * Makes a share page of a file or folder, or an upload request for a folder. The page's address is shown
 * once, here: only its hash is kept, so it can be revoked but never shown again.
 */
export function ShareDialog({
  bucket,
  connectionId,
  kind,
  target,
  onClose,
}: {
  bucket: string;
  connectionId: string;
  kind: "download" | "upload";
  /** A key (a file) or a prefix ending in "/" (a folder; "" for the whole bucket). */
  target: string;
  onClose: () => void;
}) {
  const t = useTranslations("shares");
  const locale = useLocale();
  const now = useNow({ updateInterval: 60_000 });
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const isFolder = target === "" || target.endsWith("/");
  const [lifetime, setLifetime] = useState<number>(7 * 86_400);
  const [title, setTitle] = useState("");
  const [useCode, setUseCode] = useState(true);
  const [code, setCode] = useState(newCode);
  const [singleUse, setSingleUse] = useState(false);
  const [maxFiles, setMaxFiles] = useState("");
  const [maxTotal, setMaxTotal] = useState("");
  const [maxFile, setMaxFile] = useState("");
  const [extensions, setExtensions] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ url: string; code: string | null } | null>(null);
  const name = (isFolder ? target.replace(/\/$/, "").split("/").pop() : target.split("/").pop()) || bucket;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setFailure(null);
    const input = {
      kind,
      ...(isFolder ? { prefix: target } : { key: target }),
      ...(title.trim() ? { title: title.trim() } : {}),
      ...(useCode ? { code } : {}),
      expiresIn: lifetime,
      ...(kind === "download" ? { singleUse } : {}),
      ...(kind === "upload"
        ? {
            ...(maxFiles.trim() ? { maxFiles: Number(maxFiles) } : {}),
            ...(megabytes(maxTotal) !== undefined ? { maxBytes: megabytes(maxTotal) } : {}),
            ...(megabytes(maxFile) !== undefined ? { maxFileBytes: megabytes(maxFile) } : {}),
            ...(extensions.trim()
              ? {
                  extensions: extensions
                    .split(/[\s,]+/)
                    .map((x) => x.replace(/^\./, "").toLowerCase())
                    .filter(Boolean),
                }
              : {}),
          }
        : {}),
    };
    const parsed = createShareSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await api(
        `/api/buckets/${encodeURIComponent(bucket)}/shares?connection=${encodeURIComponent(connectionId)}`,
        createdShareSchema,
        { method: "POST", body: parsed.data },
      );
      setCreated({ url: `${window.location.origin}${r.path}`, code: useCode ? code : null });
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const heading = kind === "upload" ? t("requestTitle", { name }) : t("shareTitle", { name });
  if (created) {
    return (
      <Modal open title={heading} onCancel={onClose} breakTitle>
        <div className="mt-4 flex flex-col gap-3">
          <Alert tone="success">{kind === "upload" ? t("requestReady") : t("shareReady")}</Alert>
          <TextField label={t("address")} value={created.url} readOnly onFocus={(e) => e.target.select()} />
          <CopyButton text={created.url} label={t("copyAddress")} />
          {created.code ? (
            <>
              <TextField label={t("code")} value={created.code} readOnly onFocus={(e) => e.target.select()} />
              <CopyButton text={created.code} label={t("copyCode")} />
              <p className="text-sm">{t("codeApart")}</p>
            </>
          ) : null}
          <p className="text-sm text-slate-600 dark:text-slate-300">{t("shownOnce")}</p>
          <div className="flex justify-end">
            <Button onClick={onClose}>{t("done")}</Button>
          </div>
        </div>
      </Modal>
    );
  }
  return (
    <Modal
      open
      title={heading}
      description={kind === "upload" ? t("requestIntro") : t("shareIntro")}
      onCancel={() => !busy && onClose()}
      breakTitle
    >
      <form onSubmit={submit} className="mt-4 flex flex-col gap-3" noValidate>
        <TextField
          label={t("titleLabel")}
          hint={t("titleHint")}
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.title}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-life`} className="text-sm font-medium">
            {t("lifetime")}
          </label>
          <select
            id={`${id}-life`}
            value={lifetime}
            onChange={(e) => setLifetime(Number(e.target.value))}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            {LIFETIMES.map(([k, s]) => (
              <option key={k} value={s}>
                {t(`lifetimes.${k}`)}
              </option>
            ))}
          </select>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {t("lifetimeHint", {
              date: new Date(now.getTime() + lifetime * 1000).toLocaleString(locale, {
                dateStyle: "medium",
                timeStyle: "short",
              }),
            })}
          </p>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={useCode} onChange={(e) => setUseCode(e.target.checked)} />
          {t("useCode")}
        </label>
        {useCode ? (
          <div className="flex flex-wrap items-end gap-2">
            <TextField
              label={t("code")}
              hint={t("codeHint")}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={errors.code}
              autoComplete="off"
              spellCheck={false}
            />
            <Button variant="secondary" onClick={() => setCode(newCode())}>
              {t("generateCode")}
            </Button>
          </div>
        ) : null}
        {kind === "download" ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={singleUse} onChange={(e) => setSingleUse(e.target.checked)} />
            {t("singleUse")}
          </label>
        ) : (
          <fieldset className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 dark:border-slate-700">
            <legend className="px-1 text-sm font-medium">{t("limits")}</legend>
            <TextField
              label={t("maxFiles")}
              inputMode="numeric"
              value={maxFiles}
              onChange={(e) => setMaxFiles(e.target.value)}
              error={errors.maxFiles}
            />
            <TextField
              label={t("maxTotal")}
              inputMode="decimal"
              value={maxTotal}
              onChange={(e) => setMaxTotal(e.target.value)}
              error={errors.maxBytes}
            />
            <TextField
              label={t("maxFile")}
              inputMode="decimal"
              value={maxFile}
              onChange={(e) => setMaxFile(e.target.value)}
              error={errors.maxFileBytes}
            />
            <TextField
              label={t("extensions")}
              hint={t("extensionsHint")}
              value={extensions}
              onChange={(e) => setExtensions(e.target.value)}
              error={errors.extensions}
              spellCheck={false}
            />
          </fieldset>
        )}
        {failure ? <Alert tone="error">{failure}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t("cancel")}
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? t("creating") : kind === "upload" ? t("createRequest") : t("createShare")}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
