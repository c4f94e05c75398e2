"use client";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { api, ApiError, okSchema } from "@/lib/api-client";
import { emptyStepResultSchema } from "@/lib/validation/buckets";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

type Phase = "confirm" | "not-empty" | "emptying" | "deleting";

/**
 * Deletes a bucket after its name is typed. A bucket that is not empty can be emptied first, batch by batch
 * (every object version and delete marker, then unfinished uploads), with progress and a stop button; a
 * stopped or failed run can simply be started again.
 */
export function DeleteBucketDialog({
  bucket,
  connectionId,
  onDeleted,
  onClose,
}: {
  bucket: string;
  connectionId: string;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const t = useTranslations("buckets");
  const tc = useTranslations("common");
  const errorMessage = useApiErrorMessage();
  const stop = useRef(false);
  const [typed, setTyped] = useState("");
  const [phase, setPhase] = useState<Phase>("confirm");
  const [progress, setProgress] = useState({ deleted: 0, aborted: 0, failed: 0 });
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const q = `connection=${encodeURIComponent(connectionId)}`;
  const path = `/api/buckets/${encodeURIComponent(bucket)}`;

  async function deleteBucket() {
    setPhase("deleting");
    setMessage(null);
    try {
      await api(`${path}?${q}`, okSchema, { method: "DELETE" });
      onDeleted();
    } catch (err) {
      if (err instanceof ApiError && err.details?.storeCode === "BucketNotEmpty") setPhase("not-empty");
      else {
        setPhase(progress.deleted > 0 ? "not-empty" : "confirm");
        setMessage({ tone: "error", text: errorMessage(err) });
      }
    }
  }

  async function emptyThenDelete() {
    stop.current = false;
    setPhase("emptying");
    setMessage(null);
    let next: object = {};
    let failed = 0;
    try {
      for (;;) {
        if (stop.current) {
          setPhase("not-empty");
          setMessage({ tone: "info", text: t("stopped") });
          return;
        }
        const r = await api(`${path}/empty?${q}`, emptyStepResultSchema, { method: "POST", body: next });
        failed += r.errors.length;
        setProgress((p) => ({
          deleted: p.deleted + r.deleted,
          aborted: p.aborted + r.abortedUploads,
          failed,
        }));
        if (r.done) break;
        next = r.next ?? {};
      }
    } catch (err) {
      setPhase("not-empty");
      setMessage({ tone: "error", text: errorMessage(err) });
      return;
    }
    if (failed > 0) {
      setPhase("not-empty");
      setMessage({ tone: "error", text: t("failures", { count: failed }) });
      return;
    }
    await deleteBucket();
  }

  const busy = phase === "emptying" || phase === "deleting";
  return (
    <Modal
      open
      title={t("deleteTitle", { name: bucket })}
      onCancel={() => {
        if (!busy) onClose();
      }}
    >
      <div className="mt-3 flex flex-col gap-4">
        <p className="text-sm text-slate-600 dark:text-slate-300">{t("deleteIntro")}</p>
        <TextField
          label={t("typeName")}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          disabled={busy}
        />
        {phase === "not-empty" || phase === "emptying" ? <Alert tone="info">{t("notEmpty")}</Alert> : null}
        {progress.deleted > 0 || progress.aborted > 0 || phase === "emptying" ? (
          <p role="status" aria-live="polite" className="text-sm">
            {t("progress", { deleted: progress.deleted, aborted: progress.aborted })}
          </p>
        ) : null}
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      <div className="mt-6 flex justify-end gap-3">
        {phase === "emptying" ? (
          <Button variant="secondary" onClick={() => (stop.current = true)}>
            {t("stop")}
          </Button>
        ) : (
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {tc("cancel")}
          </Button>
        )}
        {phase === "not-empty" || phase === "emptying" ? (
          <Button variant="danger" onClick={emptyThenDelete} disabled={typed !== bucket || busy}>
            {phase === "emptying" ? t("deleting") : t("emptyAndDelete")}
          </Button>
        ) : (
          <Button variant="danger" onClick={deleteBucket} disabled={typed !== bucket || busy}>
            {phase === "deleting" ? t("deleting") : t("deleteButton")}
          </Button>
        )}
      </div>
    </Modal>
  );
}
