"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api } from "@/lib/api-client";
import { restoreResultSchema, RESTORE_TIERS, type ObjectDetails } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

/**
 * An archived object's state (archived, being restored, restored until …) and, for those who may, a
 * restore for some days at one of the store's speeds.
 */
export function ObjectRestore({
  bucket,
  connectionId,
  details,
  mayRestore,
  onRestored,
}: {
  bucket: string;
  connectionId: string;
  details: ObjectDetails;
  mayRestore: boolean;
  onRestored: () => void;
}) {
  const t = useTranslations("archive");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [days, setDays] = useState("3");
  const [tier, setTier] = useState<(typeof RESTORE_TIERS)[number]>("Standard");
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { status, expiresAt } = details.restore;
  if (status === "none") return null;

  async function restore() {
    setBusy(true);
    setMessage(null);
    try {
      const r = await api(
        `/api/buckets/${encodeURIComponent(bucket)}/objects/restore?connection=${encodeURIComponent(connectionId)}`,
        restoreResultSchema,
        { method: "POST", body: { keys: [details.key], days: Number(days), tier } },
      );
      setMessage(
        r.errors.length > 0
          ? { tone: "error", text: r.errors[0]!.message }
          : { tone: "success", text: r.inProgress > 0 ? t("alreadyRestoring") : t("requested") },
      );
      onRestored();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-2">
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {t("title")}
      </h3>
      <Alert tone="info">
        {status === "archived"
          ? t("archived")
          : status === "in-progress"
            ? t("inProgress")
            : t("restored", {
                date: expiresAt ? format.dateTime(new Date(expiresAt), { dateStyle: "medium" }) : "—",
              })}
      </Alert>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {mayRestore && status !== "in-progress" ? (
        <div className="flex flex-wrap items-end gap-3">
          <TextField
            label={t("days")}
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
            className="w-28"
          />
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-tier`} className="text-sm font-medium">
              {t("tier")}
            </label>
            <select
              id={`${id}-tier`}
              value={tier}
              onChange={(e) => setTier(e.target.value as (typeof RESTORE_TIERS)[number])}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
            >
              {RESTORE_TIERS.map((x) => (
                <option key={x} value={x}>
                  {t(`tiers.${x}`)}
                </option>
              ))}
            </select>
          </div>
          <Button onClick={() => void restore()} disabled={busy}>
            {status === "restored" ? t("extend") : t("restore")}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
