"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useRef, useState, type Dispatch, type KeyboardEvent, type SetStateAction } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { formatBytes } from "@/lib/format-bytes";
import { browserHref } from "@/lib/browser-path";
import type { Row } from "./use-folder-listing";

const ROW_HEIGHT = 40;
const COLUMNS = "grid grid-cols-[2rem_1fr_7rem_11rem_8rem] gap-2";

/**
 * The rows of one folder in a virtualized grid that stays smooth with 100,000 loaded rows, with selection by
 * mouse and keyboard (arrows, Space, Shift, Ctrl+A, Home/End, Enter to open).
 */
export function ObjectGrid({
  rows,
  bucket,
  query,
  label,
  describedBy,
  selected,
  setSelected,
  onOpenFolder,
  onShowDetails,
}: {
  rows: Row[];
  bucket: string;
  query: string;
  label: string;
  describedBy: string;
  selected: Set<string>;
  setSelected: Dispatch<SetStateAction<Set<string>>>;
  onOpenFolder: (row: Row) => void;
  onShowDetails: (key: string) => void;
}) {
  const t = useTranslations("objects");
  const format = useFormatter();
  const [active, setActive] = useState(0);
  const [anchor, setAnchor] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer hands out functions by design; the React Compiler leaves this component unmemoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

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
        const r = rows[i];
        if (r) n.add(r.id);
      }
      return n;
    });

  function focusRow(i: number) {
    const index = Math.max(0, Math.min(rows.length - 1, i));
    setActive(index);
    virtualizer.scrollToIndex(index, { align: "auto" });
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-row="${index}"]`)?.focus(),
    );
    return index;
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (rows.length === 0) return;
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
      const r = rows[active];
      if (r) toggle(r.id);
      setAnchor(active);
    } else if (e.key === "Enter") {
      const r = rows[active];
      if (r?.kind === "folder") onOpenFolder(r);
      else if (r) onShowDetails(r.id);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "a") {
      e.preventDefault();
      setSelected(new Set(rows.map((r) => r.id)));
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      focusRow(e.key === "Home" ? 0 : rows.length - 1);
    }
  }

  return (
    <div
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length}
      aria-multiselectable="true"
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div
        role="row"
        className={`${COLUMNS} border-b border-slate-200 px-3 py-2 text-xs font-semibold text-slate-600 dark:border-slate-800 dark:text-slate-300`}
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
            const row = rows[v.index]!;
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
                className={`${COLUMNS} items-center border-b border-slate-100 px-3 text-sm outline-offset-[-2px] dark:border-slate-800 ${
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
                      href={browserHref(bucket, row.id, query)}
                      tabIndex={-1}
                      aria-label={t("open", { name: row.name === "" ? t("emptyName") : row.name })}
                      className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                    >
                      <svg
                        aria-hidden="true"
                        viewBox="0 0 20 20"
                        className="mr-1 inline h-4 w-4 align-[-2px] fill-current"
                      >
                        <path d="M2 5a2 2 0 0 1 2-2h4l2 2h6a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5z" />
                      </svg>
                      {row.name === "" ? t("emptyName") : row.name}/
                    </Link>
                  ) : (
                    <button
                      type="button"
                      tabIndex={-1}
                      title={row.entry.key}
                      onClick={() => onShowDetails(row.entry.key)}
                      aria-label={t("showDetails", { name: row.name })}
                      className="max-w-full truncate text-left hover:underline"
                    >
                      {row.name}
                    </button>
                  )}
                </span>
                <span role="gridcell">
                  {row.kind === "object"
                    ? formatBytes(row.entry.size, (val, d) =>
                        format.number(val, { maximumFractionDigits: d }),
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
  );
}
