"use client";
import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import type { z } from "zod";
import { api } from "@/lib/api-client";
import { restoreResultSchema, RESTORE_TIERS } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

interface Totals {
  requested: number;
  inProgress: number;
  notArchived: number;
  failed: number;
}

/**
 * Restores the archived objects of a selection: the files at once, each folder in steps of 100 objects
 * with progress and a stop button (a stopped restore can be run again: what is already being restored is
 * counted, not asked for twice).
 */
export function RestoreDialog({
  bucket,
  connectionId,
  keys,
  prefixes,
  onClose,
}: {
  bucket: string;
  connectionId: string;
  keys: string[];
  prefixes: string[];
  onClose: () => void;
}) {
  const t = useTranslations("archive");
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [days, setDays] = useState("3");
  const [tier, setTier] = useState<(typeof RESTORE_TIERS)[number]>("Standard");
  const [totals, setTotals] = useState<Totals | null>(null);
  const [state, setState] = useState<"idle" | "running" | "done" | "stopped">("idle");
  const [error, setError] = useState<string | null>(null);
  const stop = useRef(false);
  const url = `/api/buckets/${encodeURIComponent(bucket)}/objects/restore?connection=${encodeURIComponent(connectionId)}`;

  async function run() {
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 30) return setError(t("daysRule"));
    setError(null);
    stop.current = false;
    setState("running");
    const sum: Totals = { requested: 0, inProgress: 0, notArchived: 0, failed: 0 };
    const add = (r: { requested: number; inProgress: number; notArchived: number; errors: unknown[] }) => {
      sum.requested += r.requested;
      sum.inProgress += r.inProgress;
      sum.notArchived += r.notArchived;
      sum.failed += r.errors.length;
      setTotals({ ...sum });
    };
    try {
      for (let i = 0; i < keys.length && !stop.current; i += 100) {
        add(
          await api(url, restoreResultSchema, {
            method: "POST",
            body: { keys: keys.slice(i, i + 100), days: n, tier },
          }),
        );
      }
      for (const prefix of prefixes) {
        let cursor: string | null = null;
        do {
          if (stop.current) break;
          const r: z.output<typeof restoreResultSchema> = await api(url, restoreResultSchema, {
            method: "POST",
            body: { prefix, days: n, tier, ...(cursor ? { cursor } : {}) },
          });
          add(r);
          cursor = r.nextCursor;
        } while (cursor);
      }
      setState(stop.current ? "stopped" : "done");
    } catch (err) {
      setError(errorMessage(err));
      setState("stopped");
    }
  }

  return (
    <Modal
      open
      title={t("dialogTitle")}
      description={t("dialogIntro")}
      onCancel={() => state !== "running" && onClose()}
    >
      <div className="mt-4 flex flex-col gap-3">
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
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400">{t("tierHint")}</p>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {totals ? (
          <p role="status" className="text-sm">
            {t("progress", { ...totals })}
            {state === "done" ? ` ${t("finished")}` : state === "stopped" ? ` ${t("stopped")}` : ""}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          {state === "running" ? (
            <Button variant="secondary" onClick={() => (stop.current = true)}>
              {t("stop")}
            </Button>
          ) : (
            <Button variant="secondary" onClick={onClose}>
              {t("close")}
            </Button>
          )}
          {state === "idle" || state === "stopped" ? (
            <Button onClick={() => void run()}>
              {t("restoreSelection", { count: keys.length + prefixes.length })}
            </Button>
          ) : null}
        </div>
      </div>
    </Modal>
  );
}
