"use client";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { api } from "@/lib/api-client";
import { contentTypeForExtension } from "@/lib/content-types";
import { editMetadataResultSchema, objectDetailsSchema } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

const extensionOf = (key: string) => {
  const name = key.split("/").pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
};

/**
 * Sets Content-Type on a selection of files, by extension: one type per extension (suggested from the
 * extension, editable), each file's other headers and metadata kept. Four files at a time, with progress.
 */
export function ContentTypeDialog({
  bucket,
  connectionId,
  keys,
  onClose,
}: {
  bucket: string;
  connectionId: string;
  keys: string[];
  onClose: (changed: boolean) => void;
}) {
  const t = useTranslations("metadata");
  const errorMessage = useApiErrorMessage();
  const extensions = [...new Set(keys.map(extensionOf))];
  const [types, setTypes] = useState(() =>
    Object.fromEntries(extensions.map((e) => [e, contentTypeForExtension(e) ?? ""])),
  );
  const [done, setDone] = useState(0);
  const [failed, setFailed] = useState<string[]>([]);
  const [state, setState] = useState<"idle" | "running" | "done">("idle");
  const stop = useRef(false);
  const base = `/api/buckets/${encodeURIComponent(bucket)}/objects`;
  const conn = `connection=${encodeURIComponent(connectionId)}`;

  async function run() {
    setState("running");
    stop.current = false;
    let next = 0;
    const work = keys.filter((k) => (types[extensionOf(k)] ?? "").trim() !== "");
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < work.length && !stop.current) {
          const key = work[next++]!;
          try {
            // The file's other headers and metadata go back as they are.
            const d = await api(`${base}/head?${conn}&key=${encodeURIComponent(key)}`, objectDetailsSchema);
            await api(`${base}/metadata?${conn}`, editMetadataResultSchema, {
              method: "POST",
              body: {
                key,
                contentType: types[extensionOf(key)]!.trim(),
                ...(d.contentDisposition ? { contentDisposition: d.contentDisposition } : {}),
                ...(d.cacheControl ? { cacheControl: d.cacheControl } : {}),
                ...(d.contentEncoding ? { contentEncoding: d.contentEncoding } : {}),
                metadata: d.metadata,
              },
            });
            setDone((n) => n + 1);
          } catch (err) {
            setFailed((f) => [...f, `${key}: ${errorMessage(err)}`]);
          }
        }
      }),
    );
    setState("done");
  }

  return (
    <Modal
      open
      title={t("typeTitle", { count: keys.length })}
      description={t("typeIntro")}
      onCancel={() => state !== "running" && onClose(done > 0)}
    >
      <div className="mt-4 flex flex-col gap-3">
        {extensions.map((e) => (
          <TextField
            key={e}
            label={e ? t("typeFor", { ext: `.${e}` }) : t("typeForNone")}
            value={types[e] ?? ""}
            onChange={(ev) => setTypes((all) => ({ ...all, [e]: ev.target.value }))}
            spellCheck={false}
            disabled={state !== "idle"}
          />
        ))}
        {state !== "idle" ? (
          <p role="status" className="text-sm">
            {t("typeProgress", { done, total: keys.length })}
          </p>
        ) : null}
        {failed.length > 0 ? (
          <Alert tone="error">
            <ul className="list-inside list-disc">
              {failed.slice(0, 10).map((f) => (
                <li key={f} className="break-all">
                  {f}
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        <div className="flex justify-end gap-2">
          {state === "running" ? (
            <Button variant="secondary" onClick={() => (stop.current = true)}>
              {t("stop")}
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => onClose(done > 0)}>
              {t("close")}
            </Button>
          )}
          {state === "idle" ? <Button onClick={() => void run()}>{t("apply")}</Button> : null}
        </div>
      </div>
    </Modal>
  );
}
