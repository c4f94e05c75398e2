"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useState } from "react";
import { can } from "@/lib/access/can";
import type { Access } from "@/lib/access/scope";
import { obsPath } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { browserHref } from "@/lib/browser-path";
import { Breadcrumbs } from "./breadcrumbs";
import { CopyMoveDialog } from "./copy-move-dialog";
import { DeleteObjectsDialog } from "./delete-objects-dialog";
import { FolderSummary } from "./folder-summary";
import { ObjectDetails } from "./object-details";
import { NewFolderForm } from "./new-folder-form";
import { DropZone, UploadButtons } from "@/components/upload/upload-buttons";
import { ObjectGrid } from "./object-grid";
import { ShareDialog } from "@/components/shares/share-dialog";
import { useFolderListing, type Row } from "./use-folder-listing";

type SortKey = "name-asc" | "name-desc" | "size-desc" | "size-asc" | "modified-desc" | "modified-asc";
const SORTS: SortKey[] = ["name-asc", "name-desc", "size-desc", "size-asc", "modified-desc", "modified-asc"];

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
 * One folder level of a bucket: breadcrumbs, the listing ("load more" with an explicit end), a server-side
 * name filter, sorting of loaded rows, selection, and the actions the user's hold on the connection allows
 * here (a grantee sees only the controls their role and scope can use; the server checks every call).
 */
export function ObjectBrowser({
  bucket,
  connectionId,
  access,
  prefix,
  filter: initialFilter,
  startCursor,
}: {
  bucket: string;
  connectionId: string;
  access: Access;
  prefix: string;
  filter: string;
  startCursor: string | null;
}) {
  const t = useTranslations("objects");
  const tu = useTranslations("uploads");
  const router = useRouter();
  const id = useId();
  const [filter, setFilter] = useState(initialFilter);
  const [sort, setSort] = useState<SortKey>("name-asc");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ keys: string[]; prefixes: string[] } | null>(null);
  const [detailsKey, setDetailsKey] = useState<string | null>(null);
  const [sharing, setSharing] = useState<{ kind: "download" | "upload"; target: string } | null>(null);
  const [copying, setCopying] = useState<{ keys: string[]; prefixes: string[]; rename: boolean } | null>(
    null,
  );
  const { rows, next, done, loading, error, load } = useFolderListing({
    bucket,
    connectionId,
    prefix,
    filter: initialFilter,
    startCursor,
  });
  const sorted = useMemo(() => [...rows].sort(compare(sort)), [rows, sort]);
  const selection = () => ({
    keys: sorted.filter((r) => r.kind === "object" && selected.has(r.id)).map((r) => r.id),
    prefixes: sorted.filter((r) => r.kind === "folder" && selected.has(r.id)).map((r) => r.id),
  });
  const query = `connection=${encodeURIComponent(connectionId)}`;
  const here = { bucket, path: prefix };
  const mayUpload = can(access, "uploads.plan", here);
  const mayEdit = can(access, "objects.delete", here);
  const maySettings = can(access, "bucket.settings.read", { bucket, whole: true });
  const mayResume = can(access, "uploads.incomplete", { bucket });
  // Above a grantee's shared folders the listing is only the way down: nothing to summarise there.
  const maySummarise = can(access, "objects.summary", here);

  // The filter goes to the server (a prefix query) after a short pause in typing, and into the URL.
  useEffect(() => {
    if (filter === initialFilter) return;
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ connection: connectionId });
      if (filter) params.set("filter", filter);
      router.replace(browserHref(bucket, prefix, params), { scroll: false });
    }, 300);
    return () => clearTimeout(timer);
  }, [filter, initialFilter, connectionId, bucket, prefix, router]);

  const openFolder = (row: Row) => router.push(browserHref(bucket, row.id, query));

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
  const linkClass =
    "rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800";
  const body = (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <Breadcrumbs bucket={bucket} prefix={prefix} query={query} />
        <div className="flex flex-wrap gap-1">
          {mayResume ? (
            <Link
              href={`/bucket-settings/${encodeURIComponent(bucket)}/uploads?${query}`}
              className={linkClass}
            >
              {tu("incompleteLink")}
            </Link>
          ) : null}
          {maySettings ? (
            <Link href={`/bucket-settings/${encodeURIComponent(bucket)}?${query}`} className={linkClass}>
              {t("settings")}
            </Link>
          ) : null}
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
          {can(access, "shares.create", here) ? (
            <Button variant="secondary" onClick={() => setSharing({ kind: "download", target: prefix })}>
              {t("shareFolder")}
            </Button>
          ) : null}
          {mayUpload ? (
            <Button variant="secondary" onClick={() => setSharing({ kind: "upload", target: prefix })}>
              {t("requestFiles")}
            </Button>
          ) : null}
        </div>
      </div>

      <div className="flex flex-wrap items-start gap-3">
        {mayUpload ? (
          <>
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
          </>
        ) : access.relation === "grantee" ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {can(access, "uploads.plan") ? t("uploadElsewhere") : t("readOnlyHere")}
          </p>
        ) : null}
        {maySummarise ? <FolderSummary bucket={bucket} connectionId={connectionId} prefix={prefix} /> : null}
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
            href={browserHref(bucket, prefix, query)}
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
            {selected.size === 1 && can(access, "shares.create", { bucket, path: [...selected][0]! }) ? (
              <Button
                variant="secondary"
                onClick={() => setSharing({ kind: "download", target: [...selected][0]! })}
              >
                {t("shareSelected")}
              </Button>
            ) : null}
            {mayEdit ? (
              <>
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
              </>
            ) : null}
            <Button variant="ghost" onClick={() => setSelected(new Set())}>
              {t("clearSelection")}
            </Button>
          </>
        ) : null}
      </div>

      <ObjectGrid
        rows={sorted}
        bucket={bucket}
        query={query}
        label={t("listLabel", { path })}
        describedBy={`${id}-keys`}
        selected={selected}
        setSelected={setSelected}
        onOpenFolder={openFolder}
        onShowDetails={setDetailsKey}
      />
      <p id={`${id}-keys`} className="sr-only">
        {t("keyboardHint")}
      </p>

      {detailsKey ? (
        <ObjectDetails
          key={detailsKey}
          bucket={bucket}
          connectionId={connectionId}
          objectKey={detailsKey}
          mayChangeClass={can(access, "objects.storage-class", { bucket, path: detailsKey })}
          onClose={() => setDetailsKey(null)}
          onCopy={copy}
        />
      ) : null}

      {sharing ? (
        <ShareDialog
          bucket={bucket}
          connectionId={connectionId}
          kind={sharing.kind}
          target={sharing.target}
          onClose={() => setSharing(null)}
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
                : mayUpload
                  ? t("empty")
                  : t("emptyReadOnly")
              : t("end", { folders, objects })}
          </span>
        ) : next ? (
          <Button variant="secondary" onClick={() => void load(next, false)}>
            {t("loadMore")}
          </Button>
        ) : null}
      </div>
    </div>
  );
  return mayUpload ? (
    <DropZone target={target} prefix={prefix} label={path}>
      {body}
    </DropZone>
  ) : (
    body
  );
}
