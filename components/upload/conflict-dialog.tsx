"use client";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { ConflictAction } from "@/lib/upload/types";
import { Button } from "@/components/ui/button";
import { useModal } from "@/components/ui/use-modal";

/** "x already exists": overwrite, skip or keep both, for this file or for all the others of the drop. */
export function ConflictDialog({
  question,
  onAnswer,
}: {
  question: { key: string; remaining: number } | null;
  onAnswer: (a: { action: ConflictAction; all: boolean } | null) => void;
}) {
  const t = useTranslations("uploads");
  const ref = useModal(question !== null);
  const titleId = useId();
  const messageId = useId();
  const [all, setAll] = useState(false);

  const answer = (action: ConflictAction) => {
    onAnswer({ action, all });
    setAll(false);
  };
  const name = question?.key.split("/").pop() ?? "";
  const others = Math.max(0, (question?.remaining ?? 1) - 1);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(e) => {
        e.preventDefault();
        onAnswer(null);
      }}
      className="m-auto max-w-lg rounded-xl border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id={titleId} className="text-lg font-semibold break-all">
        {t("conflictTitle", { name })}
      </h2>
      <p id={messageId} className="mt-2 text-sm break-all text-slate-600 dark:text-slate-300">
        {t("conflictMessage", { key: question?.key ?? "" })}
      </p>
      {others > 0 ? (
        <label className="mt-4 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {t("applyAll", { count: others })}
        </label>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={() => answer("skip")} autoFocus>
          {t("skip")}
        </Button>
        <Button variant="secondary" onClick={() => answer("rename")}>
          {t("rename")}
        </Button>
        <Button variant="danger" onClick={() => answer("overwrite")}>
          {t("overwrite")}
        </Button>
      </div>
    </dialog>
  );
}
