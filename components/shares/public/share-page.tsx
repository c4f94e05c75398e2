"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { shareDownloadResultSchema, shareListResultSchema } from "@/lib/validation/shares";
import { FilePreview, isPreviewable } from "@/components/objects/object-preview";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { UnlockForm } from "./unlock-form";
import { usePublicError } from "./use-public-error";
import { useShare } from "./use-share";

type Page = ReturnType<typeof shareListResultSchema.parse>;

/**
 * A share page (/s/<token>) for someone without an account: the code if it asks for one, then the shared
 * file or folder a page at a time (sub-folders inside it only), previews of images and text, and downloads
 * through short-lived links asked for on each click (revoking the share ends them at once).
 */
export function SharePage({ token }: { token: string }) {
  const t = useTranslations("publicShare");
  const format = useFormatter();
  const { base, info, error, unlock } = useShare("shares", token);
  if (error) {
    return (
      <section aria-labelledby="share-title" className="flex flex-col gap-4">
        <h1 id="share-title" className="text-2xl font-semibold">
          {t("unavailable")}
        </h1>
        <Alert tone="error">{error}</Alert>
      </section>
    );
  }
  if (!info) return <p role="status">{t("loading")}</p>;
  return (
    <section aria-labelledby="share-title" className="flex flex-col gap-4">
      <div>
        <h1 id="share-title" className="text-2xl font-semibold break-all">
          {info.title ?? info.name}
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {t(info.isFolder ? "sharedFolder" : "sharedFile", { name: info.name })}{" "}
          {t("until", {
            date: format.dateTime(new Date(info.expiresAt), { dateStyle: "medium", timeStyle: "short" }),
          })}
        </p>
      </div>
      {info.unlocked ? (
        <Browser base={base} isFolder={info.isFolder} />
      ) : (
        <UnlockForm needsCode={info.needsCode} onUnlock={unlock} />
      )}
    </section>
  );
}

function Browser({ base, isFolder }: { base: string; isFolder: boolean }) {
  const t = useTranslations("publicShare");
  const format = useFormatter();
  const describe = usePublicError();
  const [prefix, setPrefix] = useState("");
  const [page, setPage] = useState<Page | null>(null);
  const [more, setMore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const bytes = (n: number) => formatBytes(n, (v, d) => format.number(v, { maximumFractionDigits: d }));

  const load = useCallback(
    async (at: string, cursor: string | null) => {
      setError(null);
      try {
        const params = new URLSearchParams({ prefix: at });
        if (cursor) params.set("cursor", cursor);
        const next = await api(`${base}/objects?${params}`, shareListResultSchema);
        setPage((p) =>
          cursor && p
            ? { ...next, folders: [...p.folders, ...next.folders], objects: [...p.objects, ...next.objects] }
            : next,
        );
        setMore(next.nextCursor);
      } catch (err) {
        setError(describe(err));
      }
    },
    [base, describe],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a folder is listed when it is opened
    void load(prefix, null);
  }, [load, prefix]);

  // A shared file is the share itself (""); in a shared folder, files are named relative to it.
  const urlOf = useCallback(
    async (key: string, inline: boolean, signal?: AbortSignal) =>
      (
        await api(`${base}/download`, shareDownloadResultSchema, {
          method: "POST",
          body: { key: isFolder ? key : "", inline },
          ...(signal ? { signal } : {}),
        })
      ).url,
    [base, isFolder],
  );
  const previewUrl = useCallback(
    (signal: AbortSignal) => urlOf(previewing ?? "", true, signal),
    [urlOf, previewing],
  );

  async function download(key: string) {
    setNotice(null);
    try {
      // A presigned GET with Content-Disposition: attachment saves the file and leaves this page as it is.
      const a = document.createElement("a");
      a.href = await urlOf(key, false);
      a.rel = "noreferrer";
      document.body.append(a);
      a.click();
      a.remove();
      setNotice(t("downloading", { name: key.split("/").pop() ?? key }));
    } catch (err) {
      setError(describe(err));
    }
  }

  const crumbs = prefix.split("/").filter(Boolean);
  const nameOf = (key: string) => key.replace(/\/$/, "").split("/").pop() ?? key;
  return (
    <div className="flex flex-col gap-3">
      <nav aria-label={t("whereLabel")}>
        <ol className="flex flex-wrap items-center gap-1 text-sm">
          <li>
            <Button
              variant="ghost"
              onClick={() => setPrefix("")}
              aria-current={prefix === "" ? "page" : undefined}
            >
              {t("top")}
            </Button>
          </li>
          {crumbs.map((c, i) => {
            const to = `${crumbs.slice(0, i + 1).join("/")}/`;
            return (
              <li key={to} className="flex items-center gap-1">
                <span aria-hidden="true">/</span>
                <Button
                  variant="ghost"
                  onClick={() => setPrefix(to)}
                  aria-current={to === prefix ? "page" : undefined}
                >
                  {c}
                </Button>
              </li>
            );
          })}
        </ol>
      </nav>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {!page ? (
        <p role="status">{t("loading")}</p>
      ) : page.folders.length + page.objects.length === 0 ? (
        <p className="text-sm">{t("emptyFolder")}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("listCaption")}</caption>
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="col" className="py-2 pr-3">
                {t("name")}
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
            {page.folders.map((f) => (
              <tr key={f.prefix} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-3">
                  <Button variant="ghost" onClick={() => setPrefix(f.prefix)}>
                    {t("folder", { name: nameOf(f.prefix) })}
                  </Button>
                </td>
                <td />
                <td />
              </tr>
            ))}
            {page.objects.map((o) => (
              <tr key={o.key} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-3 break-all">{nameOf(o.key)}</td>
                <td className="py-2 pr-3 whitespace-nowrap">{bytes(o.size)}</td>
                <td className="flex flex-wrap justify-end gap-2 py-2">
                  {isPreviewable(o.key) ? (
                    <Button
                      variant="secondary"
                      onClick={() => setPreviewing(o.key)}
                      aria-label={t("previewOf", { name: nameOf(o.key) })}
                    >
                      {t("preview")}
                    </Button>
                  ) : null}
                  <Button
                    onClick={() => void download(o.key)}
                    aria-label={t("downloadOf", { name: nameOf(o.key) })}
                  >
                    {t("download")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more ? (
        <div>
          <Button variant="secondary" onClick={() => void load(prefix, more)}>
            {t("loadMore")}
          </Button>
        </div>
      ) : null}
      {previewing ? (
        <Modal
          open
          title={nameOf(previewing)}
          onCancel={() => setPreviewing(null)}
          width="w-full max-w-3xl"
          breakTitle
        >
          <div className="mt-4 flex flex-col gap-3">
            <FilePreview name={previewing} getUrl={previewUrl} />
            <div className="flex justify-end">
              <Button variant="secondary" onClick={() => setPreviewing(null)}>
                {t("close")}
              </Button>
            </div>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}
