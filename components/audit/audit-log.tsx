"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { operations } from "@/lib/access/operations";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { auditPageSchema, type AuditEntry } from "@/lib/validation/audit";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

/** Every action the log can hold, from the operation table, plus the finer ones handlers record. */
const ACTIONS = [
  ...new Set([
    ...Object.values(operations).flatMap((o) => ("audit" in o && o.audit ? [o.audit] : [])),
    "objects.move",
    "objects.rename",
  ]),
].sort();

const FILTERS = ["user", "bucket", "action", "from", "to"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** A day typed in the page (local time) as the instant it starts; "to" days are included whole. */
function dayStart(day: string, plusDays = 0): string | null {
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return null;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

function apiQuery(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.user) p.set("user", f.user);
  if (f.bucket.trim()) p.set("bucket", f.bucket.trim());
  if (f.action) p.set("action", f.action);
  const from = f.from ? dayStart(f.from) : null;
  const to = f.to ? dayStart(f.to, 1) : null;
  if (from) p.set("from", from);
  if (to) p.set("to", to);
  return p;
}

/**
 * The audit log, newest first, filtered by person, bucket, action and days (kept in the URL, so a view can
 * be bookmarked), a page at a time, and exported as CSV with the same filters.
 */
export function AuditLog({ users }: { users: { id: string; username: string }[] }) {
  const t = useTranslations("audit");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const id = useId();
  const filters = useMemo(
    () => Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ""])) as Filters,
    [search],
  );
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inflight = useRef<AbortController | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      setError(null);
      const q = apiQuery(filters);
      if (cursor) q.set("cursor", cursor);
      try {
        const page = await api(`/api/audit?${q}`, auditPageSchema, { signal: controller.signal });
        setEntries((old) => (cursor ? [...(old ?? []), ...page.entries] : page.entries));
        setNext(page.nextCursor);
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setError(errorMessage(err));
        setEntries((old) => old ?? []);
      }
    },
    [filters, errorMessage],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a new filter starts a new listing
    setEntries(null);
    void load(null);
    return () => inflight.current?.abort();
  }, [load]);

  function setFilter(key: keyof Filters, value: string) {
    const p = new URLSearchParams(search.toString());
    if (value) p.set(key, value);
    else p.delete(key);
    router.replace(`${pathname}?${p}`, { scroll: false });
  }

  const where = (e: AuditEntry) =>
    [e.bucket, e.key ?? e.prefix].filter((x) => x !== null && x !== "").join("/") || "—";
  const amount = (e: AuditEntry) =>
    [
      e.count !== null ? t("count", { count: e.count }) : null,
      e.bytes !== null
        ? formatBytes(e.bytes, (v, d) => format.number(v, { maximumFractionDigits: d }))
        : null,
    ]
      .filter(Boolean)
      .join(" · ");
  const details = (e: AuditEntry) =>
    Object.entries(e.details ?? {})
      .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join("; ");
  const inputClass =
    "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900";
  return (
    <div className="flex flex-col gap-6">
      <form
        role="search"
        aria-label={t("filters")}
        onSubmit={(e) => e.preventDefault()}
        className="flex flex-wrap items-end gap-3"
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-user`} className="text-sm font-medium">
            {t("user")}
          </label>
          <select
            id={`${id}-user`}
            value={filters.user}
            onChange={(e) => setFilter("user", e.target.value)}
            className={inputClass}
          >
            <option value="">{t("anyone")}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-bucket`} className="text-sm font-medium">
            {t("bucket")}
          </label>
          <input
            id={`${id}-bucket`}
            defaultValue={filters.bucket}
            spellCheck={false}
            onBlur={(e) => setFilter("bucket", e.target.value.trim())}
            onKeyDown={(e) => {
              if (e.key === "Enter") setFilter("bucket", e.currentTarget.value.trim());
            }}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-action`} className="text-sm font-medium">
            {t("action")}
          </label>
          <select
            id={`${id}-action`}
            value={filters.action}
            onChange={(e) => setFilter("action", e.target.value)}
            className={inputClass}
          >
            <option value="">{t("anyAction")}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-from`} className="text-sm font-medium">
            {t("from")}
          </label>
          <input
            id={`${id}-from`}
            type="date"
            value={filters.from}
            onChange={(e) => setFilter("from", e.target.value)}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-to`} className="text-sm font-medium">
            {t("to")}
          </label>
          <input
            id={`${id}-to`}
            type="date"
            value={filters.to}
            onChange={(e) => setFilter("to", e.target.value)}
            className={inputClass}
          />
        </div>
        <a
          href={`/api/audit/export?${apiQuery(filters)}`}
          download
          className="ml-auto rounded-md border border-slate-300 px-3.5 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {t("export")}
        </a>
      </form>

      {error ? <Alert tone="error">{error}</Alert> : null}
      {entries === null ? (
        <p role="status">{t("loading")}</p>
      ) : entries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
            <caption className="sr-only">{t("listLabel")}</caption>
            <thead className="bg-slate-100 text-left dark:bg-slate-800">
              <tr>
                {(["when", "who", "action", "result", "where", "amount", "details", "address"] as const).map(
                  (c) => (
                    <th key={c} scope="col" className="px-3 py-2 whitespace-nowrap">
                      {t(`columns.${c}`)}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                  <td className="px-3 py-2 whitespace-nowrap">
                    {format.dateTime(new Date(e.at), { dateStyle: "medium", timeStyle: "medium" })}
                  </td>
                  <td className="px-3 py-2">{e.username}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2">
                    <span
                      className={
                        e.result === "ok"
                          ? "text-emerald-700 dark:text-emerald-300"
                          : "font-medium text-red-700 dark:text-red-300"
                      }
                    >
                      {t(`results.${e.result}`)}
                    </span>
                    {e.errorCode ? <span className="block font-mono text-xs">{e.errorCode}</span> : null}
                  </td>
                  <td className="max-w-xs px-3 py-2 font-mono text-xs break-all">{where(e)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{amount(e)}</td>
                  <td className="max-w-xs px-3 py-2 text-xs break-words">{details(e)}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.address ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <div>
          <Button variant="secondary" onClick={() => void load(next)}>
            {t("loadMore")}
          </Button>
        </div>
      ) : entries && entries.length > 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("end")}</p>
      ) : null}
    </div>
  );
}
