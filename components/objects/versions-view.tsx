"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { objectUrlSchema } from "@/lib/validation/objects";
import { undeleteResultSchema, versionsResultSchema, type VersionEntry } from "@/lib/validation/versions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { saveUrl } from "./key-versions";

/**
 * A folder level of a versioned bucket, as versions: every version and delete marker of each key ("all
 * versions"), or only the objects whose latest version is a delete marker ("deleted items", which editors
 * bring back a selection at a time). A page of 500 entries at a time.
 */
export function VersionsView({
  bucket,
  connectionId,
  prefix,
  mode,
  mayEdit,
  onOpenFolder,
}: {
  bucket: string;
  connectionId: string;
  prefix: string;
  mode: "versions" | "deleted";
  mayEdit: boolean;
  onOpenFolder: (prefix: string) => void;
}) {
  const t = useTranslations("versions");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [rows, setRows] = useState<VersionEntry[]>([]);
  const [folders, setFolders] = useState<string[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const conn = `connection=${encodeURIComponent(connectionId)}`;
  const base = `/api/buckets/${encodeURIComponent(bucket)}`;

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(true);
      try {
        const params = new URLSearchParams({ connection: connectionId, prefix });
        if (mode === "deleted") params.set("deleted", "1");
        if (cursor) params.set("cursor", cursor);
        const r = await api(`${base}/versions?${params}`, versionsResultSchema);
        setRows((old) => (cursor ? [...old, ...r.versions] : r.versions));
        setFolders((old) =>
          cursor ? [...old, ...r.folders.map((f) => f.prefix)] : r.folders.map((f) => f.prefix),
        );
        setNext(r.nextCursor);
      } catch (err) {
        setMessage({ tone: "error", text: errorMessage(err) });
      } finally {
        setLoading(false);
      }
    },
    [base, connectionId, prefix, mode, errorMessage],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a new folder or view starts a new listing
    setSelected(new Set());
    void load(null);
  }, [load]);

  async function undelete() {
    setMessage(null);
    try {
      const r = await api(`${base}/versions/undelete?${conn}`, undeleteResultSchema, {
        method: "POST",
        body: { keys: [...selected] },
      });
      setMessage(
        r.errors.length > 0
          ? { tone: "error", text: t("undeleteSome", { done: r.restored, failed: r.errors.length }) }
          : { tone: "success", text: t("undeleted", { count: r.restored }) },
      );
      setSelected(new Set());
      await load(null);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  async function download(v: VersionEntry) {
    try {
      const params = new URLSearchParams({ connection: connectionId, key: v.key, versionId: v.versionId });
      saveUrl((await api(`${base}/objects/url?${params}`, objectUrlSchema)).url);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  const name = (key: string) => key.slice(prefix.length);
  return (
    <div className="flex flex-col gap-3">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {mode === "deleted" && mayEdit ? (
        <div className="flex items-center gap-3 text-sm" aria-live="polite">
          <span>{t("selected", { count: selected.size })}</span>
          <Button onClick={() => void undelete()} disabled={selected.size === 0}>
            {t("undelete")}
          </Button>
        </div>
      ) : null}
      <table className="w-full text-left text-sm">
        <caption className="sr-only">
          {mode === "deleted"
            ? t("deletedCaption", { path: `${bucket}/${prefix}` })
            : t("listCaption", { path: `${bucket}/${prefix}` })}
        </caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            {mode === "deleted" && mayEdit ? (
              <th scope="col" className="py-2 pr-3">
                <span className="sr-only">{t("select")}</span>
              </th>
            ) : null}
            <th scope="col" className="py-2 pr-3">
              {t("name")}
            </th>
            <th scope="col" className="py-2 pr-3">
              {t("when")}
            </th>
            <th scope="col" className="py-2 pr-3">
              {t("size")}
            </th>
            <th scope="col" className="py-2">
              <span className="sr-only">{t("actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {folders.map((f) => (
            <tr key={f} className="border-b border-slate-100 dark:border-slate-800">
              {mode === "deleted" && mayEdit ? <td /> : null}
              <td className="py-2 pr-3" colSpan={4}>
                <Button variant="ghost" onClick={() => onOpenFolder(f)}>
                  {t("folder", { name: name(f) })}
                </Button>
              </td>
            </tr>
          ))}
          {rows.map((v) => {
            const when = v.lastModified
              ? format.dateTime(new Date(v.lastModified), { dateStyle: "medium", timeStyle: "medium" })
              : "—";
            return (
              <tr
                key={`${v.key}\n${v.versionId}`}
                className="border-b border-slate-100 dark:border-slate-800"
              >
                {mode === "deleted" && mayEdit ? (
                  <td className="py-2 pr-3">
                    <input
                      type="checkbox"
                      aria-label={t("selectOne", { name: name(v.key) })}
                      checked={selected.has(v.key)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const n = new Set(s);
                          if (e.target.checked) n.add(v.key);
                          else n.delete(v.key);
                          return n;
                        })
                      }
                    />
                  </td>
                ) : null}
                <td className="py-2 pr-3 break-all">
                  {name(v.key)}
                  {v.isLatest && !v.deleteMarker ? ` · ${t("current")}` : ""}
                  {v.deleteMarker ? ` · ${t("deleteMarker")}` : ""}
                </td>
                <td className="py-2 pr-3 whitespace-nowrap">{when}</td>
                <td className="py-2 pr-3 whitespace-nowrap">
                  {v.deleteMarker
                    ? "—"
                    : formatBytes(v.size, (x, d) => format.number(x, { maximumFractionDigits: d }))}
                </td>
                <td className="py-2 text-right">
                  {!v.deleteMarker ? (
                    <Button
                      variant="secondary"
                      onClick={() => void download(v)}
                      aria-label={t("downloadNamed", { name: name(v.key), when })}
                    >
                      {t("download")}
                    </Button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="text-sm" aria-live="polite">
        {loading ? (
          <span role="status">{t("loading")}</span>
        ) : next ? (
          <Button variant="secondary" onClick={() => void load(next)}>
            {t("loadMore")}
          </Button>
        ) : rows.length + folders.length === 0 ? (
          <span>{mode === "deleted" ? t("noneDeleted") : t("none")}</span>
        ) : (
          <span>{t("end", { count: rows.length })}</span>
        )}
      </div>
      <p id={`${id}-note`} className="text-xs text-slate-600 dark:text-slate-400">
        {t("detailsHint")}
      </p>
    </div>
  );
}
