"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useState } from "react";
import { can } from "@/lib/access/can";
import type { Access } from "@/lib/access/scope";
import { obsPath } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { browserHref } from "@/lib/browser-path";
import { useFolderDownload } from "@/components/download/use-folder-download";
import { DropZone, UploadButtons } from "@/components/upload/upload-buttons";
import { Breadcrumbs } from "./breadcrumbs";
import { BrowserDialogs, type BrowserDialog } from "./browser-dialogs";
import { FolderSummary } from "./folder-summary";
import { FolderToolbar, VIEWS, type BrowserView, type SortKey } from "./folder-toolbar";
import { NewFolderForm } from "./new-folder-form";
import { ObjectGrid } from "./object-grid";
import { SelectionBar, type SelectionAction } from "./selection-bar";
import { useFolderListing, type Row } from "./use-folder-listing";
import { VersionsView } from "./versions-view";

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
 * here (a grantee sees only the controls their role and scope can use; the server checks every call). In a
 * versioned bucket the same place shows all versions, or the deleted items (`?view=`).
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
  const td = useTranslations("downloads");
  const tu = useTranslations("uploads");
  const ta = useTranslations("archive");
  const tm = useTranslations("metadata");
  const router = useRouter();
  const search = useSearchParams();
  const id = useId();
  const rawView = search.get("view");
  const view: BrowserView = VIEWS.includes(rawView as BrowserView) ? (rawView as BrowserView) : "objects";
  const [filter, setFilter] = useState(initialFilter);
  const [sort, setSort] = useState<SortKey>("name-asc");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<BrowserDialog | null>(null);
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
  const mayRead = can(access, "objects.download", here);
  // Above a grantee's shared folders the listing is only the way down: nothing to summarise there.
  const maySummarise = can(access, "objects.summary", here);
  const download = useFolderDownload(bucket, connectionId, prefix, setNotice);

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

  const viewQuery = (v: BrowserView) => {
    const params = new URLSearchParams({ connection: connectionId });
    if (v !== "objects") params.set("view", v);
    return params;
  };
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
  const folderLabel = prefix.split("/").filter(Boolean).pop() ?? bucket;
  const linkClass =
    "rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800";

  const folderActions = [
    {
      label: t("copyObs"),
      onClick: () => {
        // The getting-started page counts its last step done once a path was copied.
        document.cookie = "obm_path_copied=1; path=/; max-age=31536000; samesite=lax";
        void copy(obsPath(bucket, prefix));
      },
    },
    { label: t("copyLegacy"), onClick: () => void copy(`/${bucket}/${prefix}`) },
    ...(can(access, "shares.create", here)
      ? [
          {
            label: t("shareFolder"),
            onClick: () => setDialog({ kind: "share", share: "download", target: prefix }),
          },
        ]
      : []),
    ...(mayUpload
      ? [
          {
            label: t("requestFiles"),
            onClick: () => setDialog({ kind: "share", share: "upload", target: prefix }),
          },
        ]
      : []),
    ...(download && mayRead && view === "objects"
      ? [
          {
            label: td("downloadFolder"),
            onClick: () => void download({ files: [], prefixes: [prefix] }, `${folderLabel}/`),
          },
        ]
      : []),
  ];

  const only = selected.size === 1 ? [...selected][0]! : null;
  const selectionActions: SelectionAction[] = [
    ...(download && mayRead
      ? [
          {
            label: td("download"),
            onClick: () => {
              const files = sorted.flatMap((r) =>
                r.kind === "object" && selected.has(r.id) ? [{ key: r.id, size: r.entry.size }] : [],
              );
              void download(
                { files, prefixes: selection().prefixes },
                only ? only.slice(prefix.length) : folderLabel,
              );
            },
          },
        ]
      : []),
    ...(only && can(access, "shares.create", { bucket, path: only })
      ? [
          {
            label: t("shareSelected"),
            onClick: () => setDialog({ kind: "share", share: "download", target: only }),
          },
        ]
      : []),
    ...(mayEdit
      ? [
          { label: t("copyMove"), onClick: () => setDialog({ kind: "copy", rename: false, ...selection() }) },
          ...(only
            ? [
                {
                  label: t("renameAction"),
                  onClick: () => setDialog({ kind: "copy", rename: true, ...selection() }),
                },
              ]
            : []),
          { label: ta("restore"), onClick: () => setDialog({ kind: "restore", ...selection() }) },
          ...(selection().keys.length > 0
            ? [
                {
                  label: tm("setType"),
                  onClick: () => setDialog({ kind: "content-type", keys: selection().keys }),
                },
              ]
            : []),
          { label: t("delete"), onClick: () => setDialog({ kind: "delete", ...selection() }), danger: true },
        ]
      : []),
  ];

  const objectsBody = (
    <>
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

      <SelectionBar
        total={sorted.length}
        count={selected.size}
        onSelectAll={(all) => setSelected(all ? new Set(sorted.map((r) => r.id)) : new Set())}
        onClear={() => setSelected(new Set())}
        actions={selectionActions}
      />

      <ObjectGrid
        rows={sorted}
        bucket={bucket}
        query={query}
        label={t("listLabel", { path })}
        describedBy={`${id}-keys`}
        selected={selected}
        setSelected={setSelected}
        onOpenFolder={openFolder}
        onShowDetails={(key) => setDialog({ kind: "details", key })}
      />
      <p id={`${id}-keys`} className="sr-only">
        {t("keyboardHint")}
      </p>

      <BrowserDialogs
        dialog={dialog}
        bucket={bucket}
        connectionId={connectionId}
        prefix={prefix}
        access={access}
        onCopy={copy}
        onClose={(changed) => {
          setDialog(null);
          if (changed) {
            setSelected(new Set());
            // The listing is refreshed once, after the whole job.
            void load(null, true);
          }
        }}
      />

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
    </>
  );

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
      <FolderToolbar
        view={view}
        onView={(v) => {
          router.replace(browserHref(bucket, prefix, viewQuery(v)), { scroll: false });
          // Back to objects after undeleting or restoring versions: list again.
          if (v === "objects") void load(null, true);
        }}
        filter={filter}
        onFilter={setFilter}
        sort={sort}
        onSort={setSort}
        actions={folderActions}
      />
      {view === "objects" ? (
        objectsBody
      ) : (
        <VersionsView
          key={`${view}:${prefix}`}
          bucket={bucket}
          connectionId={connectionId}
          prefix={prefix}
          mode={view}
          mayEdit={can(access, "versions.undelete", here)}
          onOpenFolder={(p) => router.push(browserHref(bucket, p, viewQuery(view)))}
        />
      )}
    </div>
  );
  return mayUpload && view === "objects" ? (
    <DropZone target={target} prefix={prefix} label={path}>
      {body}
    </DropZone>
  ) : (
    body
  );
}
