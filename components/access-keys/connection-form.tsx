"use client";
import { useLocale, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { api, ApiError } from "@/lib/api-client";
import { DEFAULT_OBS_REGION, OBS_REGIONS, obsEndpoint } from "@/lib/obs/regions";
import {
  connectionSchema,
  createConnectionSchema,
  updateConnectionSchema,
  type Connection,
} from "@/lib/validation/connections";
import { fieldErrorsOf } from "@/lib/field-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

const OTHER = "__other";

/** Values a dropped credentials.csv puts into the form. */
export interface Prefill {
  name?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

interface State {
  name: string;
  provider: "obs" | "s3";
  regionChoice: string;
  regionCustom: string;
  endpoint: string;
  addressing: "virtual" | "path";
  accessKeyId: string;
  secretAccessKey: string;
  temporary: boolean;
  sessionToken: string;
  sessionTokenExpiresAt: string;
  isDefault: boolean;
}

function initialState(c: Connection | null, prefill: Prefill | null): State {
  const known = c ? OBS_REGIONS.some((r) => r.id === c.region) : true;
  const derived = c?.provider === "obs" && c.endpoint === obsEndpoint(c.region);
  return {
    name: c?.name ?? prefill?.name ?? "",
    provider: c?.provider ?? "obs",
    regionChoice: c ? (c.provider === "obs" && known ? c.region : OTHER) : DEFAULT_OBS_REGION,
    regionCustom: c && (c.provider === "s3" || !known) ? c.region : "",
    endpoint: c && !derived ? c.endpoint : "",
    addressing: c?.addressing ?? "virtual",
    accessKeyId: prefill?.accessKeyId ?? "",
    secretAccessKey: prefill?.secretAccessKey ?? "",
    temporary: c?.hasSessionToken ?? false,
    sessionToken: "",
    sessionTokenExpiresAt: "",
    isDefault: c?.isDefault ?? false,
  };
}

const selectClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900";

export function ConnectionForm({
  connection,
  prefill,
  onSaved,
  onCancel,
}: {
  /** The connection to edit, or null to add one. */
  connection: Connection | null;
  prefill: Prefill | null;
  onSaved: (c: Connection) => void;
  onCancel?: () => void;
}) {
  const t = useTranslations("accessKeys");
  const locale = useLocale();
  const errorMessage = useApiErrorMessage();
  const ids = { provider: useId(), region: useId(), addressing: useId(), token: useId() };
  const [s, setS] = useState<State>(() => initialState(connection, prefill));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof State>(key: K, value: State[K]) => setS((prev) => ({ ...prev, [key]: value }));

  const region = s.provider === "obs" && s.regionChoice !== OTHER ? s.regionChoice : s.regionCustom.trim();
  const editing = connection !== null;

  function chooseProvider(provider: "obs" | "s3") {
    setS((prev) => ({
      ...prev,
      provider,
      addressing: provider === "obs" ? "virtual" : "path",
      regionChoice: provider === "obs" ? DEFAULT_OBS_REGION : OTHER,
      regionCustom: provider === "obs" ? "" : prev.regionCustom || "us-east-1",
    }));
  }

  function body(): Record<string, unknown> {
    const token = s.temporary && s.sessionToken.trim() ? s.sessionToken.trim() : undefined;
    const expires =
      s.temporary && s.sessionTokenExpiresAt ? new Date(s.sessionTokenExpiresAt).toISOString() : undefined;
    if (!editing) {
      return {
        name: s.name,
        provider: s.provider,
        region,
        endpoint: s.endpoint.trim() || undefined,
        addressing: s.addressing,
        accessKeyId: s.accessKeyId,
        secretAccessKey: s.secretAccessKey,
        sessionToken: token,
        sessionTokenExpiresAt: expires,
        isDefault: s.isDefault,
      };
    }
    const patch: Record<string, unknown> = {
      name: s.name,
      region,
      endpoint: s.endpoint.trim() || null,
      addressing: s.addressing,
    };
    if (s.isDefault && !connection.isDefault) patch.isDefault = true;
    if (s.accessKeyId.trim()) patch.accessKeyId = s.accessKeyId;
    if (s.secretAccessKey.trim()) patch.secretAccessKey = s.secretAccessKey;
    if (!s.temporary && connection.hasSessionToken) patch.sessionToken = null;
    if (token) patch.sessionToken = token;
    if (expires) patch.sessionTokenExpiresAt = expires;
    return patch;
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const payload = body();
    const parsed = (editing ? updateConnectionSchema : createConnectionSchema).safeParse(payload);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const saved = await api(
        editing ? `/api/connections/${encodeURIComponent(connection.id)}` : "/api/connections",
        connectionSchema,
        { method: editing ? "PATCH" : "POST", body: payload },
      );
      onSaved(saved);
    } catch (err) {
      const issues = err instanceof ApiError ? err.details?.issues : undefined;
      if (Array.isArray(issues)) {
        const errors: Record<string, string> = {};
        for (const i of issues as { field: string; message: string }[]) errors[i.field] ??= i.message;
        setFieldErrors(errors);
      }
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={editing ? t("editTitle", { name: connection.name }) : t("addTitle")}
      className="flex max-w-2xl flex-col gap-4"
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField
        label={t("name")}
        value={s.name}
        onChange={(e) => set("name", e.target.value)}
        error={fieldErrors.name}
      />

      {editing ? null : (
        <fieldset className="flex flex-col gap-2">
          <legend id={ids.provider} className="text-sm font-medium">
            {t("provider")}
          </legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {(["obs", "s3"] as const).map((p) => (
              <label key={p} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="provider"
                  value={p}
                  checked={s.provider === p}
                  onChange={() => chooseProvider(p)}
                />
                {t(`providers.${p}`)}
              </label>
            ))}
          </div>
        </fieldset>
      )}

      {s.provider === "obs" ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.region} className="text-sm font-medium">
            {t("region")}
          </label>
          <select
            id={ids.region}
            value={s.regionChoice}
            onChange={(e) => set("regionChoice", e.target.value)}
            className={selectClass}
            aria-describedby={`${ids.region}-hint`}
          >
            {OBS_REGIONS.map((r) => (
              <option key={r.id} value={r.id}>
                {`${locale === "zh-CN" ? r.zh : r.en} (${r.id})`}
              </option>
            ))}
            <option value={OTHER}>{t("regionOther")}</option>
          </select>
          <p id={`${ids.region}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            {t("regionHint")}
          </p>
        </div>
      ) : null}
      {s.provider === "s3" || s.regionChoice === OTHER ? (
        <TextField
          label={s.provider === "obs" ? t("regionCustom") : t("region")}
          value={s.regionCustom}
          onChange={(e) => set("regionCustom", e.target.value)}
          error={fieldErrors.region}
          placeholder="cn-north-4"
        />
      ) : null}

      <TextField
        label={t("endpoint")}
        value={s.endpoint}
        onChange={(e) => set("endpoint", e.target.value)}
        placeholder={s.provider === "obs" && region ? obsEndpoint(region) : "https://"}
        hint={
          s.provider === "obs" && region
            ? t("endpointObsHint", { endpoint: obsEndpoint(region) })
            : t("endpointS3Hint")
        }
        error={fieldErrors.endpoint}
        inputMode="url"
      />

      <div className="flex flex-col gap-1">
        <label htmlFor={ids.addressing} className="text-sm font-medium">
          {t("addressing")}
        </label>
        <select
          id={ids.addressing}
          value={s.addressing}
          onChange={(e) => set("addressing", e.target.value === "path" ? "path" : "virtual")}
          className={selectClass}
        >
          <option value="virtual">{t("addressings.virtual")}</option>
          <option value="path">{t("addressings.path")}</option>
        </select>
      </div>

      <TextField
        label={t("accessKeyId")}
        value={s.accessKeyId}
        onChange={(e) => set("accessKeyId", e.target.value)}
        placeholder={editing ? connection.accessKeyIdMasked : undefined}
        autoComplete="off"
        spellCheck={false}
        error={fieldErrors.accessKeyId}
      />
      <TextField
        label={t("secretAccessKey")}
        type="password"
        value={s.secretAccessKey}
        onChange={(e) => set("secretAccessKey", e.target.value)}
        autoComplete="new-password"
        spellCheck={false}
        hint={editing ? t("secretKeepHint") : undefined}
        error={fieldErrors.secretAccessKey}
      />

      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={s.temporary} onChange={(e) => set("temporary", e.target.checked)} />
        {t("temporary")}
      </label>
      {s.temporary ? (
        <div className="flex flex-col gap-4 border-l-2 border-slate-200 pl-4 dark:border-slate-700">
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.token} className="text-sm font-medium">
              {t("sessionToken")}
            </label>
            <textarea
              id={ids.token}
              value={s.sessionToken}
              onChange={(e) => set("sessionToken", e.target.value)}
              rows={3}
              spellCheck={false}
              aria-describedby={`${ids.token}-hint`}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
            />
            <p id={`${ids.token}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("tokenHint")}
            </p>
          </div>
          <TextField
            label={t("sessionTokenExpiresAt")}
            type="datetime-local"
            value={s.sessionTokenExpiresAt}
            onChange={(e) => set("sessionTokenExpiresAt", e.target.value)}
            error={fieldErrors.sessionTokenExpiresAt}
          />
        </div>
      ) : null}

      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={s.isDefault} onChange={(e) => set("isDefault", e.target.checked)} />
        {t("makeDefault")}
      </label>

      <div className="flex gap-3">
        <Button type="submit" disabled={busy}>
          {busy ? t("saving") : t("save")}
        </Button>
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            {t("cancelEdit")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
