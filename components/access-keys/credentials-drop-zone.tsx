"use client";
import { useTranslations } from "next-intl";
import { useId, useState, type DragEvent } from "react";
import { MAX_CSV_BYTES, parseCredentialsCsv, type CsvProblem } from "@/lib/credentials-csv";
import { maskAccessKeyId } from "@/lib/validation/connections";
import { Alert } from "@/components/ui/alert";
import type { Prefill } from "./connection-form";

/**
 * Reads a dropped or chosen credentials.csv in the browser (the user's own file) and hands the key to the
 * form; nothing is sent until the form is saved.
 */
export function CredentialsDropZone({ onRead }: { onRead: (p: Prefill) => void }) {
  const t = useTranslations("accessKeys");
  const inputId = useId();
  const [over, setOver] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  async function read(file: File | undefined) {
    if (!file) return;
    const problem = (p: CsvProblem | "unreadable") =>
      setMessage({ tone: "error", text: t(`csvErrors.${p}`) });
    if (file.size > MAX_CSV_BYTES) return problem("too_large");
    let text: string;
    try {
      text = await file.text();
    } catch {
      return problem("unreadable");
    }
    const parsed = parseCredentialsCsv(text);
    if (!parsed.ok) return problem(parsed.problem);
    const { userName, accessKeyId, secretAccessKey } = parsed.credential;
    onRead({ name: userName ?? undefined, accessKeyId, secretAccessKey });
    setMessage({
      tone: "success",
      text: t("imported", { file: file.name, key: maskAccessKeyId(accessKeyId) }),
    });
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    void read(e.dataTransfer.files[0]);
  }

  return (
    <section aria-labelledby={`${inputId}-title`} className="flex max-w-2xl flex-col gap-3">
      <h3 id={`${inputId}-title`} className="text-base font-semibold">
        {t("dropTitle")}
      </h3>
      <div
        role="group"
        aria-label={t("dropZone")}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed p-6 text-center text-sm ${
          over
            ? "border-brand-500 bg-brand-50 dark:bg-slate-800"
            : "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900"
        }`}
      >
        <p className="text-slate-600 dark:text-slate-300">{t("dropHint")}</p>
        <label
          htmlFor={inputId}
          className="cursor-pointer rounded-md border border-slate-300 bg-white px-3.5 py-2 font-medium hover:bg-slate-100 focus-within:outline-2 focus-within:outline-brand-500 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700"
        >
          {t("chooseFile")}
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            onChange={(e) => {
              void read(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
        </label>
      </div>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </section>
  );
}
