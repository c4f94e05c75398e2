"use client";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { Button } from "@/components/ui/button";

export type SortKey = "name-asc" | "name-desc" | "size-desc" | "size-asc" | "modified-desc" | "modified-asc";
export const SORTS: SortKey[] = [
  "name-asc",
  "name-desc",
  "size-desc",
  "size-asc",
  "modified-desc",
  "modified-asc",
];
export type BrowserView = "objects" | "versions" | "deleted";
export const VIEWS: BrowserView[] = ["objects", "versions", "deleted"];

const fieldClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900";

/**
 * The row above a folder's listing: what to show (objects, all versions, deleted items), the name filter and
 * sort (objects only), and the folder's own actions: copy its paths, share it, ask for files, download it.
 */
export function FolderToolbar({
  view,
  onView,
  filter,
  onFilter,
  sort,
  onSort,
  actions,
}: {
  view: BrowserView;
  onView: (v: BrowserView) => void;
  filter: string;
  onFilter: (f: string) => void;
  sort: SortKey;
  onSort: (s: SortKey) => void;
  actions: { label: string; onClick: () => void }[];
}) {
  const t = useTranslations("objects");
  const id = useId();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-view`} className="text-sm font-medium">
          {t("view")}
        </label>
        <select
          id={`${id}-view`}
          value={view}
          onChange={(e) => onView(e.target.value as BrowserView)}
          className={fieldClass}
        >
          {VIEWS.map((v) => (
            <option key={v} value={v}>
              {t(`views.${v}`)}
            </option>
          ))}
        </select>
      </div>
      {view === "objects" ? (
        <>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-filter`} className="text-sm font-medium">
              {t("filter")}
            </label>
            <input
              id={`${id}-filter`}
              type="search"
              value={filter}
              onChange={(e) => onFilter(e.target.value)}
              aria-describedby={`${id}-filter-hint`}
              spellCheck={false}
              className={fieldClass}
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
              onChange={(e) => onSort(e.target.value as SortKey)}
              className={fieldClass}
            >
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sorts.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      <div className="ml-auto flex flex-wrap gap-2">
        {actions.map((a) => (
          <Button key={a.label} variant="secondary" onClick={a.onClick}>
            {a.label}
          </Button>
        ))}
      </div>
    </div>
  );
}
