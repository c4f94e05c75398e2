"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { can } from "@/lib/access/can";
import { api } from "@/lib/api-client";
import { bucketListSchema, type Bucket } from "@/lib/validation/buckets";
import type { Connection } from "@/lib/validation/connections";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConnectionSelect } from "@/components/ui/connection-select";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { CreateBucketForm } from "./create-bucket-form";
import { DeleteBucketDialog } from "./delete-bucket-dialog";

export function BucketsManager({ connections }: { connections: Connection[] }) {
  const t = useTranslations("buckets");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [connectionId, setConnectionId] = useState(
    (connections.find((c) => c.isDefault) ?? connections[0])!.id,
  );
  const [buckets, setBuckets] = useState<Bucket[] | null>(null);
  const [query, setQuery] = useState("");
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success" | "info"; text: string } | null>(null);
  const connection = connections.find((c) => c.id === connectionId)!;
  // Only the controls the user's hold on this connection can use; the server checks every call anyway.
  const mayCreate = can(connection.access, "buckets.create");
  const mayManage = (bucket: string) => can(connection.access, "bucket.delete", { bucket, whole: true });

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setBuckets(null);
      try {
        const r = await api(`/api/buckets?connection=${encodeURIComponent(connectionId)}`, bucketListSchema, {
          signal,
        });
        setBuckets(r.buckets);
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setBuckets([]);
        setMessage({ tone: "error", text: errorMessage(err) });
      }
    },
    [connectionId, errorMessage],
  );

  useEffect(() => {
    // The newest connection's listing wins: the previous request is aborted.
    const controller = new AbortController();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading on connection change is the point
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const shown = (buckets ?? []).filter((b) => b.name.includes(query.trim().toLowerCase()));
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end gap-4">
        <ConnectionSelect
          connections={connections}
          value={connectionId}
          onChange={(v) => {
            setMessage(null);
            setConnectionId(v);
          }}
          label={t("connection")}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-search`} className="text-sm font-medium">
            {t("search")}
          </label>
          <input
            id={`${id}-search`}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
          />
        </div>
        <div className="ml-auto flex gap-2">
          <Button variant="secondary" onClick={() => void load()}>
            {t("refresh")}
          </Button>
          {creating || !mayCreate ? null : <Button onClick={() => setCreating(true)}>{t("create")}</Button>}
        </div>
      </div>

      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}

      {creating ? (
        <section
          aria-labelledby={`${id}-create`}
          className="rounded-xl border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 id={`${id}-create`} className="mb-4 text-lg font-semibold">
            {t("createTitle")}
          </h2>
          <CreateBucketForm
            connection={connection}
            onCancel={() => setCreating(false)}
            onCreated={(r) => {
              setCreating(false);
              const failed = r.settings.filter((s) => !s.ok);
              setMessage(
                failed.length === 0
                  ? { tone: "success", text: t("created", { name: r.bucket.name }) }
                  : {
                      tone: "error",
                      text: failed
                        .map((s) =>
                          t("settingFailed", {
                            setting: t(`settingNames.${s.setting as "cors" | "lifecycle" | "versioning"}`),
                            message: s.message,
                          }),
                        )
                        .join(" "),
                    },
              );
              setBuckets((list) =>
                [...(list ?? []).filter((b) => b.name !== r.bucket.name), r.bucket].sort((a, b) =>
                  a.name.localeCompare(b.name),
                ),
              );
            }}
          />
        </section>
      ) : null}

      {buckets === null ? (
        <p role="status">{t("loading")}</p>
      ) : buckets.length === 0 ? (
        creating ? null : (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center dark:border-slate-700 dark:bg-slate-900">
            <p className="text-sm text-slate-600 dark:text-slate-300">
              {mayCreate ? t("empty") : t("emptyShared")}
            </p>
            {mayCreate ? (
              <Button className="mt-4" onClick={() => setCreating(true)}>
                {t("create")}
              </Button>
            ) : null}
          </div>
        )
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
            {query
              ? shown.length === 0
                ? t("noMatch", { query })
                : t("count", { count: shown.length })
              : t("count", { count: buckets.length })}
          </p>
          <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
            <caption className="sr-only">{t("listLabel")}</caption>
            <thead className="bg-slate-100 text-left dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t("name")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("region")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("created")}
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((b) => (
                <tr key={b.name} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="px-4 py-2 font-medium">
                    <Link
                      href={`/buckets/${encodeURIComponent(b.name)}?connection=${encodeURIComponent(connectionId)}`}
                      className="text-brand-700 hover:underline dark:text-brand-100"
                    >
                      {b.name}
                    </Link>
                  </td>
                  <td className="px-4 py-2">{b.region ?? "—"}</td>
                  <td className="px-4 py-2">
                    {b.createdAt ? format.dateTime(new Date(b.createdAt), { dateStyle: "medium" }) : "—"}
                  </td>
                  <td className="px-4 py-2 text-right whitespace-nowrap">
                    {mayManage(b.name) ? (
                      <>
                        <Link
                          href={`/bucket-settings/${encodeURIComponent(b.name)}?connection=${encodeURIComponent(connectionId)}`}
                          aria-label={t("settingsNamed", { name: b.name })}
                          className="rounded-md px-3 py-2 font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800"
                        >
                          {t("settings")}
                        </Link>
                        <Button
                          variant="ghost"
                          onClick={() => setToDelete(b.name)}
                          aria-label={t("deleteNamed", { name: b.name })}
                        >
                          {t("delete")}
                        </Button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {toDelete ? (
        <DeleteBucketDialog
          bucket={toDelete}
          connectionId={connectionId}
          onClose={() => setToDelete(null)}
          onDeleted={() => {
            setBuckets((list) => (list ?? []).filter((b) => b.name !== toDelete));
            setMessage({ tone: "success", text: t("deleted", { name: toDelete }) });
            setToDelete(null);
          }}
        />
      ) : null}
    </div>
  );
}
