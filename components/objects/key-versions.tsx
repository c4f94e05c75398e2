"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { api, okSchema } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { objectUrlSchema } from "@/lib/validation/objects";
import { versionsResultSchema, type VersionEntry } from "@/lib/validation/versions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

/** Downloads a URL as a file without leaving the page (a presigned GET with Content-Disposition). */
export function saveUrl(url: string) {
  const a = document.createElement("a");
  a.href = url;
  a.rel = "noreferrer";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * The versions of one object (a versioned bucket keeps each write and delete): download any of them, and
 * for editors restore one over the current object or delete one for good.
 */
export function KeyVersions({
  bucket,
  connectionId,
  objectKey,
  mayEdit,
  onChanged,
}: {
  bucket: string;
  connectionId: string;
  objectKey: string;
  mayEdit: boolean;
  onChanged: () => void;
}) {
  const t = useTranslations("versions");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [versions, setVersions] = useState<VersionEntry[] | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [deleting, setDeleting] = useState<VersionEntry | null>(null);
  const base = `/api/buckets/${encodeURIComponent(bucket)}`;
  const conn = `connection=${encodeURIComponent(connectionId)}`;

  const load = useCallback(async () => {
    try {
      const r = await api(
        `${base}/versions?${conn}&key=${encodeURIComponent(objectKey)}`,
        versionsResultSchema,
      );
      setVersions(r.versions);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }, [base, conn, objectKey, errorMessage]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the versions are read when the details open
    void load();
  }, [load]);

  async function act(path: "restore" | "delete", v: VersionEntry, done: string) {
    setMessage(null);
    try {
      await api(`${base}/versions/${path}?${conn}`, okSchema, {
        method: "POST",
        body: { key: objectKey, versionId: v.versionId },
      });
      setMessage({ tone: "success", text: done });
      await load();
      onChanged();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  async function download(v: VersionEntry) {
    try {
      const params = new URLSearchParams({
        connection: connectionId,
        key: objectKey,
        versionId: v.versionId,
      });
      saveUrl((await api(`${base}/objects/url?${params}`, objectUrlSchema)).url);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  // An unversioned object has one version ("null"): nothing to show.
  if (versions !== null && versions.length <= 1 && !message) return null;
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-2">
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {t("title")}
      </h3>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {versions === null ? (
        <p role="status">{t("loading")}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("caption", { name: objectKey })}</caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-3">
                {t("when")}
              </th>
              <th scope="col" className="py-1 pr-3">
                {t("size")}
              </th>
              <th scope="col" className="py-1">
                <span className="sr-only">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const when = v.lastModified
                ? format.dateTime(new Date(v.lastModified), { dateStyle: "medium", timeStyle: "medium" })
                : "—";
              return (
                <tr key={v.versionId} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1 pr-3">
                    {when}
                    {v.isLatest ? ` · ${t("current")}` : ""}
                    {v.deleteMarker ? ` · ${t("deleteMarker")}` : ""}
                  </td>
                  <td className="py-1 pr-3">
                    {v.deleteMarker
                      ? "—"
                      : formatBytes(v.size, (x, d) => format.number(x, { maximumFractionDigits: d }))}
                  </td>
                  <td className="flex flex-wrap justify-end gap-2 py-1">
                    {!v.deleteMarker ? (
                      <Button
                        variant="secondary"
                        onClick={() => void download(v)}
                        aria-label={t("downloadOf", { when })}
                      >
                        {t("download")}
                      </Button>
                    ) : null}
                    {mayEdit && !v.isLatest && !v.deleteMarker ? (
                      <Button
                        variant="secondary"
                        onClick={() => void act("restore", v, t("restored", { when }))}
                        aria-label={t("restoreOf", { when })}
                      >
                        {t("restore")}
                      </Button>
                    ) : null}
                    {mayEdit ? (
                      <Button
                        variant="danger"
                        onClick={() => setDeleting(v)}
                        aria-label={t("deleteOf", { when })}
                      >
                        {t("delete")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle")}
        message={t("deleteMessage")}
        confirmLabel={t("delete")}
        danger
        onConfirm={() => {
          const v = deleting!;
          setDeleting(null);
          void act("delete", v, t("deleted"));
        }}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
