"use client";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api, okSchema } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import type { Connection } from "@/lib/validation/connections";
import { presignResultSchema, type LinkRecord } from "@/lib/validation/links";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { LinkForm, type PresignResult } from "./link-form";

function exportHref(id: string, format: "csv" | "txt" | "sh") {
  return `/api/links/${encodeURIComponent(id)}/export?format=${format}`;
}

function ExportLinks({ id }: { id: string }) {
  const t = useTranslations("links");
  const cls =
    "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800";
  return (
    <span className="flex flex-wrap gap-2">
      <a className={cls} href={exportHref(id, "csv")} download>
        {t("exportCsv")}
      </a>
      <a className={cls} href={exportHref(id, "txt")} download>
        {t("exportTxt")}
      </a>
      <a className={cls} href={exportHref(id, "sh")} download>
        {t("exportSh")}
      </a>
    </span>
  );
}

/** What an upload link's receiver must be told: its size limit and required content type. */
function LinkLimits({ link }: { link: LinkRecord }) {
  const t = useTranslations("links");
  const format = useFormatter();
  if (link.maxSizeBytes === null && link.contentType === null) return null;
  return (
    <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
      {link.maxSizeBytes !== null
        ? t("sizeLimit", {
            size: formatBytes(link.maxSizeBytes, (v, d) => format.number(v, { maximumFractionDigits: d })),
          })
        : null}
      {link.maxSizeBytes !== null && link.contentType !== null ? " · " : null}
      {link.contentType !== null ? t("typeLimit", { type: link.contentType }) : null}
    </span>
  );
}

export function LinksManager({ connections, initial }: { connections: Connection[]; initial: LinkRecord[] }) {
  const t = useTranslations("links");
  const format = useFormatter();
  const now = useNow({ updateInterval: 10_000 });
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [links, setLinks] = useState(initial);
  const [result, setResult] = useState<PresignResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const name = (l: LinkRecord) => l.key ?? (l.prefix ? t("folder", { prefix: l.prefix }) : t("wholeBucket"));

  async function forget(l: LinkRecord) {
    try {
      await api(`/api/links/${encodeURIComponent(l.id)}`, okSchema, { method: "DELETE" });
      setLinks((list) => list.filter((x) => x.id !== l.id));
    } catch (err) {
      setMessage(errorMessage(err));
    }
  }

  return (
    <div className="flex flex-col gap-8">
      <Alert tone="info">{t("revokeNote")}</Alert>
      <section
        aria-labelledby={`${id}-new`}
        className="rounded-xl border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 id={`${id}-new`} className="mb-4 text-lg font-semibold">
          {t("newTitle")}
        </h2>
        <LinkForm
          connections={connections}
          onCreated={(r) => {
            setResult(r);
            setLinks((list) => [r.link, ...list]);
          }}
        />
        {result ? (
          <div className="mt-6 flex flex-col gap-3" aria-live="polite">
            <Alert tone="success">
              {t("created")} {result.link.cappedByToken ? t("cappedNote") : null}
              <LinkLimits link={result.link} />
            </Alert>
            {result.link.key !== null && result.links[0] ? (
              <div className="flex flex-col gap-2">
                <label htmlFor={`${id}-url`} className="text-sm font-medium">
                  {t("url")}
                </label>
                <input
                  id={`${id}-url`}
                  readOnly
                  value={result.links[0].url}
                  onFocus={(e) => e.target.select()}
                  className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-950"
                />
                <div>
                  <CopyButton text={result.links[0].url} label={t("copy")} />
                </div>
              </div>
            ) : (
              <div className="flex flex-col gap-2">
                <p className="text-sm">{t("folderLinks", { count: result.links.length })}</p>
                <ExportLinks id={result.link.id} />
                <ul className="max-h-48 overflow-auto font-mono text-xs">
                  {result.links.slice(0, 20).map((l) => (
                    <li key={l.key} className="truncate">
                      {l.key}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        ) : null}
      </section>

      <section aria-labelledby={`${id}-list`} className="flex flex-col gap-3">
        <h2 id={`${id}-list`} className="text-lg font-semibold">
          {t("listTitle")}
        </h2>
        {message ? <Alert tone="error">{message}</Alert> : null}
        {links.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">{t("empty")}</p>
        ) : (
          <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
            <caption className="sr-only">{t("listLabel")}</caption>
            <thead className="bg-slate-100 text-left dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t("colTarget")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("colKind")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("colCreated")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("colExpires")}
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">{t("colActions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => {
                const expired = Date.parse(l.expiresAt) <= now.getTime();
                return (
                  <tr key={l.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                    <td className="px-4 py-2 break-all">
                      <span className="text-slate-500 dark:text-slate-400">{l.bucket}/</span>
                      {name(l)}
                      <LinkLimits link={l} />
                    </td>
                    <td className="px-4 py-2">{t(`kinds.${l.method}`)}</td>
                    <td className="px-4 py-2">
                      {format.dateTime(new Date(l.createdAt), { dateStyle: "medium", timeStyle: "short" })}
                    </td>
                    <td className="px-4 py-2">
                      {expired ? t("expired") : format.relativeTime(new Date(l.expiresAt), now)}
                    </td>
                    <td className="px-4 py-2">
                      <div className="flex flex-wrap justify-end gap-2">
                        {expired ? null : l.key !== null ? (
                          <CopyButton
                            label={t("show")}
                            text={async () =>
                              (await api(`/api/links/${encodeURIComponent(l.id)}`, presignResultSchema))
                                .links[0]?.url ?? ""
                            }
                          />
                        ) : (
                          <ExportLinks id={l.id} />
                        )}
                        <Button
                          variant="ghost"
                          onClick={() => forget(l)}
                          aria-label={t("forgetNamed", { name: name(l) })}
                        >
                          {t("forget")}
                        </Button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
