import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { StepState } from "@/lib/server/getting-started";

export async function GettingStarted({ steps }: { steps: StepState[] }) {
  const t = await getTranslations("home");
  const tc = await getTranslations("common");
  const done = steps.filter((s) => s.done).length;
  return (
    <section aria-labelledby="getting-started-title">
      <h1 id="getting-started-title" className="text-2xl font-semibold tracking-tight">
        {t("title")}
      </h1>
      <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      <p className="mt-3 text-sm font-medium">{t("progress", { done, total: steps.length })}</p>
      <ol className="mt-6 grid gap-4 lg:grid-cols-2">
        {steps.map((step, i) => (
          <li
            key={step.key}
            aria-labelledby={`step-${step.key}`}
            className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex items-center justify-between gap-2">
              <span className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
                {t("stepLabel", { n: i + 1 })}
              </span>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                  step.done
                    ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100"
                    : "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100"
                }`}
              >
                {step.done ? tc("done") : tc("todo")}
              </span>
            </div>
            <h2 id={`step-${step.key}`} className="text-lg font-semibold">
              {t(`steps.${step.key}.title`)}
            </h2>
            <p className="text-sm text-slate-600 dark:text-slate-300">{t(`steps.${step.key}.body`)}</p>
            <div className="mt-auto">
              <Link
                href={step.href}
                className="inline-flex rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
              >
                {t(`steps.${step.key}.action`)}
              </Link>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
