"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { api } from "@/lib/api-client";
import { hasDotSegment } from "@/lib/browser-path";
import { formatBytes } from "@/lib/format-bytes";
import {
  objectDetailsSchema,
  objectUrlSchema,
  type ObjectDetails as Details,
} from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { KeyVersions } from "./key-versions";
import { MetadataEditor } from "./metadata-editor";
import { ObjectPreview } from "./object-preview";
import { ObjectRestore } from "./object-restore";

const CLASSES = ["STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE"] as const;

export function ObjectDetails({
  bucket,
  connectionId,
  objectKey,
  mayChangeClass,
  onClose,
  onCopy,
}: {
  bucket: string;
  connectionId: string;
  objectKey: string;
  /**
   * Whether the user's role here allows changing the object (storage class, metadata, restore, versions:
   * editor and above).
   */
  mayChangeClass: boolean;
  onClose: () => void;
  onCopy: (text: string) => void;
}) {
  const t = useTranslations("objects");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [details, setDetails] = useState<Details | null>(null);
  const [cls, setCls] = useState<(typeof CLASSES)[number]>("STANDARD");
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const name = objectKey.split("/").pop() ?? objectKey;
  const dotted = hasDotSegment(objectKey);
  const q = new URLSearchParams({ connection: connectionId, key: objectKey });
  const base = `/api/buckets/${encodeURIComponent(bucket)}/objects`;

  useEffect(() => {
    const controller = new AbortController();
    api(
      `${base}/head?${new URLSearchParams({ connection: connectionId, key: objectKey })}`,
      objectDetailsSchema,
      {
        signal: controller.signal,
      },
    )
      .then((d) => {
        setDetails(d);
        if ((CLASSES as readonly string[]).includes(d.storageClass))
          setCls(d.storageClass as (typeof CLASSES)[number]);
      })
      .catch((err: unknown) => {
        if (!(err instanceof DOMException && err.name === "AbortError"))
          setMessage({ tone: "error", text: errorMessage(err) });
      });
    return () => controller.abort();
  }, [base, connectionId, objectKey, errorMessage, version]);

  async function download() {
    try {
      const { url } = await api(`${base}/url?${q}&disposition=attachment`, objectUrlSchema);
      const a = document.createElement("a");
      a.href = url;
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  async function changeClass() {
    try {
      const d = await api(
        `${base}/storage-class?connection=${encodeURIComponent(connectionId)}`,
        objectDetailsSchema,
        {
          method: "POST",
          body: { key: objectKey, storageClass: cls },
        },
      );
      setDetails(d);
      setMessage({ tone: "success", text: t("classChanged", { cls: t(`classes.${cls}`) }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-start justify-between gap-3">
        <h2 id={`${id}-title`} className="text-lg font-semibold break-all">
          {t("details", { name })}
        </h2>
        <Button variant="ghost" onClick={onClose}>
          {t("closeDetails")}
        </Button>
      </div>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {details ? (
        <>
          {dotted ? <Alert tone="info">{t("dotSegmentKey")}</Alert> : null}
          <p className="font-mono text-xs break-all">{objectKey}</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="font-medium">{t("size")}</dt>
            <dd>{formatBytes(details.size, (v, d) => format.number(v, { maximumFractionDigits: d }))}</dd>
            <dt className="font-medium">{t("modified")}</dt>
            <dd>
              {details.lastModified
                ? format.dateTime(new Date(details.lastModified), {
                    dateStyle: "medium",
                    timeStyle: "medium",
                  })
                : "—"}
            </dd>
            <dt className="font-medium">{t("etag")}</dt>
            <dd className="font-mono text-xs break-all">{details.etag ?? "—"}</dd>
            <dt className="font-medium">{t("storageClass")}</dt>
            <dd>{details.storageClass}</dd>
            <dt className="font-medium">{t("contentType")}</dt>
            <dd>{details.contentType ?? "—"}</dd>
            <dt className="font-medium">{t("metadata")}</dt>
            <dd>
              {Object.keys(details.metadata).length === 0
                ? "—"
                : Object.entries(details.metadata).map(([k, v]) => (
                    <span key={k} className="block font-mono text-xs break-all">
                      {k}: {v}
                    </span>
                  ))}
            </dd>
          </dl>
          <div className="flex flex-wrap gap-2">
            {dotted || details.restoreRequired ? null : <Button onClick={download}>{t("download")}</Button>}
            <Button variant="secondary" onClick={() => onCopy(`obs://${bucket}/${objectKey}`)}>
              {t("copyObsKey")}
            </Button>
            <Button variant="secondary" onClick={() => onCopy(`s3://${bucket}/${objectKey}`)}>
              {t("copyS3")}
            </Button>
          </div>
          {mayChangeClass ? (
            <div className="flex flex-wrap items-end gap-2">
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-class`} className="text-sm font-medium">
                  {t("changeClass")}
                </label>
                <select
                  id={`${id}-class`}
                  value={cls}
                  onChange={(e) => setCls(e.target.value as (typeof CLASSES)[number])}
                  className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
                >
                  {CLASSES.map((c) => (
                    <option key={c} value={c}>
                      {t(`classes.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
              <Button variant="secondary" onClick={changeClass} disabled={cls === details.storageClass}>
                {t("changeClass")}
              </Button>
            </div>
          ) : null}
          <ObjectRestore
            bucket={bucket}
            connectionId={connectionId}
            details={details}
            mayRestore={mayChangeClass}
            onRestored={reload}
          />
          {mayChangeClass ? (
            <MetadataEditor
              key={`${details.etag}-${details.lastModified}`}
              bucket={bucket}
              connectionId={connectionId}
              details={details}
              onSaved={reload}
            />
          ) : null}
          <KeyVersions
            bucket={bucket}
            connectionId={connectionId}
            objectKey={objectKey}
            mayEdit={mayChangeClass}
            onChanged={reload}
          />
          {dotted || details.restoreRequired ? null : (
            <>
              <h3 className="text-base font-semibold">{t("previewTitle")}</h3>
              <ObjectPreview bucket={bucket} connectionId={connectionId} objectKey={objectKey} />
            </>
          )}
        </>
      ) : message ? null : (
        <p role="status">{t("previewLoading")}</p>
      )}
    </section>
  );
}
