"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { deleteResultSchema, type DeleteResult } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { KeyErrors } from "./key-errors";
import { useFolderSummary } from "./use-folder-summary";

type Phase = "counting" | "ready" | "deleting" | "done";

/**
 * Deletes selected objects and folders (recursively). First counts what will go, then deletes in batches of
 * 1,000 with progress; the store's per-key refusals are listed, never retried in a loop.
 */
export function DeleteObjectsDialog({
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
  onClose: (changed: boolean) => void;
}) {
  const t = useTranslations("objects");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const stop = useRef(false);
  const summary = useFolderSummary(bucket, connectionId);
  const [phase, setPhase] = useState<Phase>("counting");
  const [counted, setCounted] = useState({ objects: 0, bytes: 0 });
  const [deleted, setDeleted] = useState(0);
  const [errors, setErrors] = useState<DeleteResult["errors"]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const path = `/api/buckets/${encodeURIComponent(bucket)}/objects/delete?connection=${encodeURIComponent(connectionId)}`;

  useEffect(() => {
    const { run } = summary;
    // Files are counted as they are; folders by walking them. Sizes of selected files come with the count.
    void run(prefixes, (totals) => setCounted({ objects: totals.objects, bytes: totals.bytes }))
      .then(({ totals }) => {
        setCounted({ objects: totals.objects + keys.length, bytes: totals.bytes });
        setPhase("ready");
      })
      .catch((err: unknown) => {
        setMessage(errorMessage(err));
        setPhase("ready");
      });
    // Runs once, when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function runDelete() {
    stop.current = false;
    setPhase("deleting");
    let total = 0;
    const failed: DeleteResult["errors"] = [];
    try {
      for (let i = 0; i < keys.length; i += 1000) {
        if (stop.current) break;
        const r = await api(path, deleteResultSchema, {
          method: "POST",
          body: { keys: keys.slice(i, i + 1000) },
        });
        total += r.deleted;
        failed.push(...r.errors);
        setDeleted(total);
      }
      let cursor: DeleteResult["next"] = prefixes.length > 0 ? { prefixIndex: 0 } : null;
      while (cursor && !stop.current) {
        const r: DeleteResult = await api(path, deleteResultSchema, {
          method: "POST",
          body: { prefixes, cursor },
        });
        total += r.deleted;
        failed.push(...r.errors);
        setDeleted(total);
        cursor = r.next;
      }
    } catch (err) {
      setMessage(errorMessage(err));
    }
    setErrors(failed);
    if (stop.current) setMessage(t("stopped", { deleted: total }));
    setPhase("done");
  }

  return (
    <Modal
      open
      title={t("deleteTitle", { count: keys.length + prefixes.length })}
      onCancel={() => {
        if (phase !== "deleting") onClose(phase === "done");
      }}
    >
      <div className="mt-3 flex flex-col gap-3 text-sm" aria-live="polite">
        {phase === "counting" ? <p role="status">{t("counting", { objects: counted.objects })}</p> : null}
        {phase === "ready" ? (
          <p>
            {t("preview", {
              objects: counted.objects,
              size: formatBytes(counted.bytes, (v, d) => format.number(v, { maximumFractionDigits: d })),
              files: keys.length,
              folders: prefixes.length,
            })}
          </p>
        ) : null}
        {phase === "deleting" ? (
          <p role="status">{t("deleting", { deleted, total: counted.objects })}</p>
        ) : null}
        {phase === "done" ? (
          <Alert tone={errors.length ? "error" : "success"}>{t("deleteDone", { deleted })}</Alert>
        ) : null}
        <KeyErrors intro={t("deleteErrors", { count: errors.length })} errors={errors} />
        {message ? <Alert tone="info">{message}</Alert> : null}
      </div>
      <div className="mt-6 flex justify-end gap-3">
        {phase === "deleting" ? (
          <Button variant="secondary" onClick={() => (stop.current = true)}>
            {t("stop")}
          </Button>
        ) : (
          <Button
            variant="secondary"
            onClick={() => {
              if (phase === "counting") summary.cancel();
              onClose(phase === "done");
            }}
          >
            {phase === "done" ? t("close") : t("cancel")}
          </Button>
        )}
        {phase === "ready" ? (
          <Button variant="danger" onClick={runDelete}>
            {t("deleteConfirm")}
          </Button>
        ) : null}
      </div>
    </Modal>
  );
}
