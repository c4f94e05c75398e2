"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { ConflictAction } from "@/lib/upload/types";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";

/**
 * "x already exists": skip the identical ones (same size and MD5: nothing is sent), overwrite, skip or keep
 * both, for this file or for all the others of the drop.
 */
export function ConflictDialog({
  question,
  onAnswer,
}: {
  question: { key: string; remaining: number } | null;
  onAnswer: (a: { action: ConflictAction; all: boolean } | null) => void;
}) {
  const t = useTranslations("uploads");
  const [all, setAll] = useState(false);

  const answer = (action: ConflictAction) => {
    onAnswer({ action, all });
    setAll(false);
  };
  const name = question?.key.split("/").pop() ?? "";
  const others = Math.max(0, (question?.remaining ?? 1) - 1);
  return (
    <Modal
      open={question !== null}
      title={t("conflictTitle", { name })}
      description={t("conflictMessage", { key: question?.key ?? "" })}
      onCancel={() => onAnswer(null)}
      width="max-w-lg"
      breakTitle
    >
      {others > 0 ? (
        <label className="mt-4 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {t("applyAll", { count: others })}
        </label>
      ) : null}
      <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">{t("identicalHint")}</p>
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <Button onClick={() => answer("identical")} autoFocus>
          {t("identical")}
        </Button>
        <Button variant="secondary" onClick={() => answer("skip")}>
          {t("skip")}
        </Button>
        <Button variant="secondary" onClick={() => answer("rename")}>
          {t("rename")}
        </Button>
        <Button variant="danger" onClick={() => answer("overwrite")}>
          {t("overwrite")}
        </Button>
      </div>
    </Modal>
  );
}
