"use client";
import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { api } from "@/lib/api-client";
import { copyResultSchema, type CopyResult } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { KeyErrors } from "./key-errors";

/**
 * Copy or move the selection to another folder, or rename one item (a move within its folder). Runs in steps
 * of up to 100 objects; each copy is confirmed before its original is deleted.
 */
export function CopyMoveDialog({
  bucket,
  connectionId,
  prefix,
  keys,
  prefixes,
  rename,
  onClose,
}: {
  bucket: string;
  connectionId: string;
  prefix: string;
  keys: string[];
  prefixes: string[];
  rename: boolean;
  onClose: (changed: boolean) => void;
}) {
  const t = useTranslations("objects");
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const stop = useRef(false);
  const single = (keys[0] ?? prefixes[0] ?? "").slice(prefix.length).replace(/\/$/, "");
  const [destination, setDestination] = useState(prefix);
  const [name, setName] = useState(single);
  const [move, setMove] = useState(rename);
  const [phase, setPhase] = useState<"form" | "running" | "done">("form");
  const [copied, setCopied] = useState(0);
  const [errors, setErrors] = useState<CopyResult["errors"]>([]);
  const [message, setMessage] = useState<string | null>(null);

  async function start() {
    const to = destination.trim() === "" ? "" : destination.trim().replace(/\/*$/, "/").replace(/^\/+/, "");
    stop.current = false;
    setPhase("running");
    setMessage(null);
    let cursor: CopyResult["next"] | undefined;
    let done = 0;
    const failed: CopyResult["errors"] = [];
    try {
      for (;;) {
        if (stop.current) break;
        const r: CopyResult = await api(
          `/api/buckets/${encodeURIComponent(bucket)}/objects/copy?connection=${encodeURIComponent(connectionId)}`,
          copyResultSchema,
          {
            method: "POST",
            body: {
              from: prefix,
              to: rename ? prefix : to,
              keys,
              prefixes,
              move: rename || move,
              ...(rename ? { rename: name.trim() } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        );
        done += r.copied;
        failed.push(...r.errors);
        setCopied(done);
        if (r.done) break;
        cursor = r.next;
      }
    } catch (err) {
      setMessage(errorMessage(err));
    }
    setErrors(failed);
    setPhase("done");
  }

  return (
    <Modal
      open
      title={
        rename
          ? t("renameTitle", { name: single })
          : t("copyMoveTitle", { count: keys.length + prefixes.length })
      }
      onCancel={() => {
        if (phase !== "running") onClose(phase === "done");
      }}
      breakTitle
    >
      <div className="mt-3 flex flex-col gap-3 text-sm">
        {phase === "form" ? (
          rename ? (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-name`} className="font-medium">
                {t("newName")}
              </label>
              <input
                id={`${id}-name`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                className="rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-600 dark:bg-slate-900"
              />
            </div>
          ) : (
            <>
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-dest`} className="font-medium">
                  {t("destination")}
                </label>
                <input
                  id={`${id}-dest`}
                  value={destination}
                  onChange={(e) => setDestination(e.target.value)}
                  aria-describedby={`${id}-dest-hint`}
                  className="rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-600 dark:bg-slate-900"
                />
                <p id={`${id}-dest-hint`} className="text-xs text-slate-600 dark:text-slate-400">
                  {t("destinationHint")}
                </p>
              </div>
              <fieldset className="flex flex-col gap-1">
                <legend className="sr-only">{t("copyMove")}</legend>
                {(["copy", "move"] as const).map((m) => (
                  <label key={m} className="flex items-center gap-2">
                    <input
                      type="radio"
                      name="mode"
                      checked={move === (m === "move")}
                      onChange={() => setMove(m === "move")}
                    />
                    {t(`modes.${m}`)}
                  </label>
                ))}
              </fieldset>
            </>
          )
        ) : (
          <p role="status" aria-live="polite">
            {phase === "running" ? t("copying", { copied }) : t("copyDone", { copied })}
          </p>
        )}
        <KeyErrors intro={t("copyErrors", { count: errors.length })} errors={errors} />
        {message ? <Alert tone="error">{message}</Alert> : null}
      </div>
      <div className="mt-6 flex justify-end gap-3">
        {phase === "running" ? (
          <Button variant="secondary" onClick={() => (stop.current = true)}>
            {t("stop")}
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => onClose(phase === "done")}>
            {phase === "done" ? t("close") : t("cancel")}
          </Button>
        )}
        {phase === "form" ? <Button onClick={start}>{t("start")}</Button> : null}
      </div>
    </Modal>
  );
}
