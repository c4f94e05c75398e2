"use client";
import { useFormatter, useNow, useTranslations } from "next-intl";
import type { ConnectionTest } from "@/lib/validation/connections";
import { useStoreErrorMessage } from "@/components/ui/use-store-error-message";

/** The outcome of a connection test, step by step, in the user's language. */
export function TestResult({ result }: { result: ConnectionTest }) {
  const t = useTranslations("accessKeys");
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const storeMessage = useStoreErrorMessage();
  const summary = result.ok
    ? t("bucketsVisible", { count: result.bucketCount ?? 0 })
    : storeMessage(result.code, result.message);
  return (
    <div
      role="status"
      className={`rounded-md border px-3 py-2 text-sm ${
        result.ok
          ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
          : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
      }`}
    >
      <p className="font-medium">
        {result.ok ? t("testOk") : t("testFailed")}
        {result.code ? <span className="ml-2 font-mono text-xs">{result.code}</span> : null} — {summary}
      </p>
      {result.steps && result.steps.length > 0 ? (
        <ul className="mt-1 list-none">
          {result.steps.map((s) => (
            <li key={s.step}>
              <span aria-hidden="true">{s.ok ? "✓" : "✗"}</span> {t(`steps.${s.step}`)}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="mt-1 text-xs opacity-80">
        {t("lastTest", { time: format.relativeTime(new Date(result.at), now) })}
      </p>
    </div>
  );
}
