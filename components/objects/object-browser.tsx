"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { listObjectsResultSchema, obsPath, type ObjectEntry } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { Breadcrumbs, browserHref } from "./breadcrumbs";
import { CopyMoveDialog } from "./copy-move-dialog";
import { DeleteObjectsDialog } from "./delete-objects-dialog";
import { FolderSummary } from "./folder-summary";
import { ObjectDetails } from "./object-details";
import { NewFolderForm } from "./new-folder-form";
import { DropZone, UploadButtons } from "@/components/upload/upload-buttons";
import { useUploads } from "@/components/upload/upload-provider";

type Row =
  | { kind: "folder"; id: string; name: string }
  | { kind: "object"; id: string; name: string; entry: ObjectEntry };
type SortKey = "name-asc" | "name-desc" | "size-desc" | "size-asc" | "modified-desc" | "modified-asc";
const SORTS: SortKey[] = ["name-asc", "name-desc", "size-desc", "size-asc", "modified-desc", "modified-asc"];
const ROW_HEIGHT = 40;

function compare(sort: SortKey) {
  return (a: Row, b: Row): number => {
    if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1; // folders first, always
    const dir = sort.endsWith("desc") ? -1 : 1;
    if (sort.startsWith("size") && a.kind === "object" && b.kind === "object")
      return dir * (a.entry.size - b.entry.size);
    if (sort.startsWith("modified") && a.kind === "object" && b.kind === "object") {
      return dir * (a.entry.lastModified ?? "").localeCompare(b.entry.lastModified ?? "");
    }
    return (sort === "name-desc" ? -1 : 1) * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  };
}

/**
 * One folder level of a bucket: breadcrumbs, a virtualized list that stays smooth with 100,000 loaded rows,
 * "load more" with an explicit end, a server-side name filter, sorting of loaded rows, and selection by
 * mouse and keyboard. The newest request wins: a new folder or filter aborts the request before it.
 */
export function ObjectBrowser({
  bucket,
  connectionId,
  prefix,
  filter: initialFilter,
  startCursor,
}: {
  bucket: string;
  connectionId: string;
  prefix: string;
  filter: string;
  startCursor: string | null;
}) {
  const t = useTranslations("objects");
  const tu = useTranslations("uploads");
  const format = useFormatter();
  const router = useRouter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState(initialFilter);
  const [sort, setSort] = useState<SortKey>("name-asc");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(0);
  const [anchor, setAnchor] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ keys: string[]; prefixes: string[] } | null>(null);
  const [detailsKey, setDetailsKey] = useState<string | null>(null);
  const [copying, setCopying] = useState<{ keys: string[]; prefixes: string[]; rename: boolean } | null>(
    null,
  );
  const selection = () => ({
    keys: sorted.filter((r) => r.kind === "object" && selected.has(r.id)).map((r) => r.id),
    prefixes: sorted.filter((r) => r.kind === "folder" && selected.has(r.id)).map((r) => r.id),
  });
  const inflight = useRef<AbortController | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const query = `connection=${encodeURIComponent(connectionId)}`;

  const load = useCallback(
    async (cursor: string | null, replace: boolean) => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      setLoading(true);
      setError(null);
      const params = new URLSearchParams({ connection: connectionId, prefix, filter, limit: "1000" });
      if (cursor) params.set("cursor", cursor);
      try {
        const page = await api(
          `/api/buckets/${encodeURIComponent(bucket)}/objects?${params}`,
          listObjectsResultSchema,
          {
            signal: controller.signal,
          },
        );
        const base = page.prefix;
        const add: Row[] = [
          ...page.folders.map((f): Row => ({
            kind: "folder",
            id: f.prefix,
            name: f.prefix.slice(base.length).replace(/\/$/, ""),
          })),
          ...page.objects.map((o): Row => ({
            kind: "object",
            id: o.key,
            name: o.key.slice(base.length),
            entry: o,
          })),
        ];
        setRows((old) => (replace ? add : [...old, ...add]));
        setNext(page.nextCursor);
        setDone(page.nextCursor === null);
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setError(errorMessage(err));
      } finally {
        if (inflight.current === controller) setLoading(false);
      }
    },
    [bucket, connectionId, prefix, filter, errorMessage],
  );

  useEffect(() => {
    // A new folder or filter starts a new listing (the page also remounts this component on either).
    setSelected(new Set());
    setActive(0);
    void load(startCursor, true);
    return () => inflight.current?.abort();
  }, [load, startCursor]);

  // The filter goes to the server (a prefix query) after a short pause in typing, and into the URL.
  useEffect(() => {
    if (filter === initialFilter) return;
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ connection: connectionId });
      if (filter) params.set("filter", filter);
      router.replace(`${browserHref(bucket, prefix)}?${params}`, { scroll: false });
    }, 300);
    return () => clearTimeout(timer);
  }, [filter, initialFilter, connectionId, bucket, prefix, router]);

  // A finished upload into this bucket refreshes the listing once, not once per file.
  const { onSettled } = useUploads();
  useEffect(
    () =>
      onSettled((b) => {
        if (b.target.bucket === bucket && b.target.connectionId === connectionId) void load(null, true);
      }),
    [onSettled, bucket, connectionId, load],
  );

  const sorted = useMemo(() => [...rows].sort(compare(sort)), [rows, sort]);
  // The virtualizer hands out functions by design; the React Compiler leaves this component unmemoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  const openFolder = (row: Row) => router.push(`${browserHref(bucket, row.id)}?${query}`);
  const toggle = (rowId: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(rowId)) n.delete(rowId);
      else n.add(rowId);
      return n;
    });
  const selectRange = (from: number, to: number) =>
    setSelected((s) => {
      const n = new Set(s);
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
        const r = sorted[i];
        if (r) n.add(r.id);
      }
      return n;
    });

  function focusRow(i: number) {
    const index = Math.max(0, Math.min(sorted.length - 1, i));
    setActive(index);
    virtualizer.scrollToIndex(index, { align: "auto" });
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-row="${index}"]`)?.focus(),
    );
    return index;
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (sorted.length === 0) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const to = focusRow(active + (e.key === "ArrowDown" ? 1 : -1));
      if (e.shiftKey) {
        const from = anchor ?? active;
        setAnchor(from);
        selectRange(from, to);
      } else setAnchor(null);
    } else if (e.key === " ") {
      e.preventDefault();
      const r = sorted[active];
      if (r) toggle(r.id);
      setAnchor(active);
    } else if (e.key === "Enter") {
      const r = sorted[active];
      if (r?.kind === "folder") openFolder(r);
      else if (r) setDetailsKey(r.id);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "a") {
      e.preventDefault();
      setSelected(new Set(sorted.map((r) => r.id)));
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      focusRow(e.key === "Home" ? 0 : sorted.length - 1);
    }
  }

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setNotice(t("copied", { path: text }));
    } catch {
      setNotice(t("copyFailed", { path: text }));
    }
  }

  const folders = rows.filter((r) => r.kind === "folder").length;
  const objects = rows.length - folders;
  const path = `${bucket}/${prefix}`;
  const target = { bucket, connectionId };
  return (
    <DropZone target={target} prefix={prefix} label={path}>
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <Breadcrumbs bucket={bucket} prefix={prefix} query={query} />
          <div className="flex flex-wrap gap-1">
            <Link
              href={`/bucket-settings/${encodeURIComponent(bucket)}/uploads?${query}`}
              className="rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800"
            >
              {tu("incompleteLink")}
            </Link>
            <Link
              href={`/bucket-settings/${encodeURIComponent(bucket)}?${query}`}
              className="rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800"
            >
              {t("settings")}
            </Link>
          </div>
        </div>

        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-filter`} className="text-sm font-medium">
              {t("filter")}
            </label>
            <input
              id={`${id}-filter`}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              aria-describedby={`${id}-filter-hint`}
              spellCheck={false}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
            />
            <span id={`${id}-filter-hint`} className="sr-only">
              {t("filterHint")}
            </span>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-sort`} className="text-sm font-medium">
              {t("sort")}
            </label>
            <select
              id={`${id}-sort`}
              value={sort}
              onChange={(e) => setSort(e.target.value as SortKey)}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
            >
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sorts.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="ml-auto flex flex-wrap gap-2">
            <Button
              variant="secondary"
              onClick={() => {
                // The getting-started page counts its last step done once a path was copied.
                document.cookie = "obm_path_copied=1; path=/; max-age=31536000; samesite=lax";
                void copy(obsPath(bucket, prefix));
              }}
            >
              {t("copyObs")}
            </Button>
            <Button variant="secondary" onClick={() => copy(`/${bucket}/${prefix}`)}>
              {t("copyLegacy")}
            </Button>
          </div>
        </div>

        <div className="flex flex-wrap items-start gap-3">
          <UploadButtons target={target} prefix={prefix} />
          <NewFolderForm
            bucket={bucket}
            connectionId={connectionId}
            prefix={prefix}
            onCreated={(folder) => {
              setNotice(t("created", { name: folder.slice(prefix.length).replace(/\/$/, "") }));
              void load(null, true);
            }}
          />

          <FolderSummary bucket={bucket} connectionId={connectionId} prefix={prefix} />
        </div>

        {notice ? <Alert tone="info">{notice}</Alert> : null}
        {error ? (
          <div className="flex flex-wrap items-center gap-3">
            <Alert tone="error">{error}</Alert>
            <Button variant="secondary" onClick={() => void load(null, true)}>
              {t("retry")}
            </Button>
          </div>
        ) : null}
        {startCursor ? (
          <p className="text-sm">
            {t("startFromCursor")}{" "}
            <Link
              href={`${browserHref(bucket, prefix)}?${query}`}
              className="font-medium text-brand-700 underline dark:text-brand-100"
            >
              {t("backToStart")}
            </Link>
          </p>
        ) : null}

        <div className="flex items-center gap-3 text-sm" aria-live="polite">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={sorted.length > 0 && selected.size === sorted.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(sorted.map((r) => r.id)) : new Set())}
            />
            {t("selectAll")}
          </label>
          {selected.size > 0 ? (
            <>
              <span>{t("selected", { count: selected.size })}</span>
              <Button variant="secondary" onClick={() => setCopying({ ...selection(), rename: false })}>
                {t("copyMove")}
              </Button>
              {selected.size === 1 ? (
                <Button variant="secondary" onClick={() => setCopying({ ...selection(), rename: true })}>
                  {t("renameAction")}
                </Button>
              ) : null}
              <Button variant="danger" onClick={() => setDeleting(selection())}>
                {t("delete")}
              </Button>
              <Button variant="ghost" onClick={() => setSelected(new Set())}>
                {t("clearSelection")}
              </Button>
            </>
          ) : null}
        </div>

        <div
          role="grid"
          aria-label={t("listLabel", { path })}
          aria-rowcount={sorted.length}
          aria-multiselectable="true"
          aria-describedby={`${id}-keys`}
          onKeyDown={onKeyDown}
          className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <div
            role="row"
            className="grid grid-cols-[2rem_1fr_7rem_11rem_8rem] gap-2 border-b border-slate-200 px-3 py-2 text-xs font-semibold text-slate-600 dark:border-slate-800 dark:text-slate-300"
          >
            <span role="columnheader" aria-label={t("selectAll")} />
            <span role="columnheader">{t("name")}</span>
            <span role="columnheader">{t("size")}</span>
            <span role="columnheader">{t("modified")}</span>
            <span role="columnheader">{t("storageClass")}</span>
          </div>
          <div ref={scrollRef} className="max-h-[60vh] overflow-auto">
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((v) => {
                const row = sorted[v.index]!;
                const isSelected = selected.has(row.id);
                return (
                  <div
                    key={row.id}
                    role="row"
                    aria-rowindex={v.index + 1}
                    aria-selected={isSelected}
                    data-row={v.index}
                    tabIndex={v.index === active ? 0 : -1}
                    onFocus={() => setActive(v.index)}
                    onClick={(e) => {
                      if (e.shiftKey) {
                        selectRange(anchor ?? active, v.index);
                        setActive(v.index);
                      }
                    }}
                    style={{
                      position: "absolute",
                      top: 0,
                      left: 0,
                      width: "100%",
                      height: ROW_HEIGHT,
                      transform: `translateY(${v.start}px)`,
                    }}
                    className={`grid grid-cols-[2rem_1fr_7rem_11rem_8rem] items-center gap-2 border-b border-slate-100 px-3 text-sm outline-offset-[-2px] dark:border-slate-800 ${
                      isSelected ? "bg-brand-50 dark:bg-slate-800" : ""
                    }`}
                  >
                    <span role="gridcell">
                      <input
                        type="checkbox"
                        tabIndex={-1}
                        checked={isSelected}
                        onChange={() => {
                          toggle(row.id);
                          setAnchor(v.index);
                        }}
                        aria-label={t("select", { name: row.name })}
                      />
                    </span>
                    <span role="gridcell" className="truncate">
                      {row.kind === "folder" ? (
                        <Link
                          href={`${browserHref(bucket, row.id)}?${query}`}
                          tabIndex={-1}
                          aria-label={t("open", { name: row.name })}
                          className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                        >
                          <svg
                            aria-hidden="true"
                            viewBox="0 0 20 20"
                            className="mr-1 inline h-4 w-4 align-[-2px] fill-current"
                          >
                            <path d="M2 5a2 2 0 0 1 2-2h4l2 2h6a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5z" />
                          </svg>
                          {row.name}/
                        </Link>
                      ) : (
                        <button
                          type="button"
                          tabIndex={-1}
                          title={row.entry.key}
                          onClick={() => setDetailsKey(row.entry.key)}
                          aria-label={t("showDetails", { name: row.name })}
                          className="max-w-full truncate text-left hover:underline"
                        >
                          {row.name}
                        </button>
                      )}
                    </span>
                    <span role="gridcell">
                      {row.kind === "object"
                        ? formatBytes(row.entry.size, (v, d) =>
                            format.number(v, { maximumFractionDigits: d }),
                          )
                        : t("folder")}
                    </span>
                    <span role="gridcell">
                      {row.kind === "object" && row.entry.lastModified
                        ? format.dateTime(new Date(row.entry.lastModified), {
                            dateStyle: "medium",
                            timeStyle: "short",
                          })
                        : ""}
                    </span>
                    <span role="gridcell">{row.kind === "object" ? (row.entry.storageClass ?? "") : ""}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <p id={`${id}-keys`} className="sr-only">
          {t("keyboardHint")}
        </p>

        {detailsKey ? (
          <ObjectDetails
            key={detailsKey}
            bucket={bucket}
            connectionId={connectionId}
            objectKey={detailsKey}
            onClose={() => setDetailsKey(null)}
            onCopy={copy}
          />
        ) : null}

        {copying ? (
          <CopyMoveDialog
            bucket={bucket}
            connectionId={connectionId}
            prefix={prefix}
            keys={copying.keys}
            prefixes={copying.prefixes}
            rename={copying.rename}
            onClose={(changed) => {
              setCopying(null);
              if (changed) {
                setSelected(new Set());
                void load(null, true);
              }
            }}
          />
        ) : null}

        {deleting ? (
          <DeleteObjectsDialog
            bucket={bucket}
            connectionId={connectionId}
            keys={deleting.keys}
            prefixes={deleting.prefixes}
            onClose={(changed) => {
              setDeleting(null);
              if (changed) {
                setSelected(new Set());
                // The listing is refreshed once, after the whole delete.
                void load(null, true);
              }
            }}
          />
        ) : null}

        <div className="flex items-center gap-3 text-sm" aria-live="polite">
          {loading ? (
            <span role="status">{t("loading")}</span>
          ) : done ? (
            <span>
              {rows.length === 0
                ? filter
                  ? t("noMatch", { filter })
                  : t("empty")
                : t("end", { folders, objects })}
            </span>
          ) : next ? (
            <Button variant="secondary" onClick={() => void load(next, false)}>
              {t("loadMore")}
            </Button>
          ) : null}
        </div>
      </div>
    </DropZone>
  );
}
