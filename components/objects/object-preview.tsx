"use client";
import Papa from "papaparse";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { api } from "@/lib/api-client";
import { objectUrlSchema } from "@/lib/validation/objects";

const IMAGE = /\.(jpe?g|png|gif|webp|bmp|avif)$/i;
const TEXT = /\.(txt|csv|tsv|json|jsonl|ndjson|md|py|ya?ml|xml|log|html?|svg|js|ts|sh|cfg|ini|toml)$/i;
const PREVIEW_BYTES = 1024 * 1024;

/** Images and text files can be shown in the page; anything else is only downloaded. */
export const isPreviewable = (name: string) => IMAGE.test(name) || TEXT.test(name);

type Preview =
  | { kind: "loading" }
  | { kind: "image"; url: string }
  | { kind: "text"; text: string; truncated: boolean }
  | { kind: "error"; message: string };

/** An object of the console's browser, previewed through a short-lived URL of the user's connection. */
export function ObjectPreview({
  bucket,
  connectionId,
  objectKey,
}: {
  bucket: string;
  connectionId: string;
  objectKey: string;
}) {
  const getUrl = useCallback(
    async (signal: AbortSignal) => {
      const params = new URLSearchParams({ connection: connectionId, key: objectKey, disposition: "inline" });
      return (
        await api(`/api/buckets/${encodeURIComponent(bucket)}/objects/url?${params}`, objectUrlSchema, {
          signal,
        })
      ).url;
    },
    [bucket, connectionId, objectKey],
  );
  return <FilePreview name={objectKey.split("/").pop() ?? objectKey} getUrl={getUrl} />;
}

/**
 * Shows a file without serving its bytes from this app's origin: images through <img> from a presigned
 * URL, text (first 1 MB, fetched by the browser from the store) as text. HTML and SVG are shown as source,
 * never rendered as a document. `getUrl` gives an inline presigned GET (the console's, or a share page's).
 */
export function FilePreview({
  name,
  getUrl,
}: {
  name: string;
  getUrl: (signal: AbortSignal) => Promise<string>;
}) {
  const t = useTranslations("objects");
  const [preview, setPreview] = useState<Preview>({ kind: "loading" });
  const previewable = isPreviewable(name);

  useEffect(() => {
    if (!previewable) return;
    const controller = new AbortController();
    const isImage = IMAGE.test(name);
    getUrl(controller.signal)
      .then(async (url) => {
        if (isImage) return setPreview({ kind: "image", url });
        let res: Response;
        try {
          res = await fetch(url, {
            headers: { range: `bytes=0-${PREVIEW_BYTES - 1}` },
            signal: controller.signal,
          });
        } catch (err) {
          if (err instanceof DOMException && err.name === "AbortError") return;
          return setPreview({ kind: "error", message: t("previewCors") });
        }
        const text = await res.text();
        const total = Number(/\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1] ?? text.length);
        setPreview({ kind: "text", text, truncated: total > PREVIEW_BYTES });
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setPreview({ kind: "error", message: err instanceof Error ? err.message : String(err) });
      });
    return () => controller.abort();
  }, [getUrl, name, previewable, t]);

  if (!previewable) return <p className="text-sm">{t("previewNone")}</p>;
  if (preview.kind === "loading") return <p role="status">{t("previewLoading")}</p>;
  if (preview.kind === "error")
    return <p className="text-sm text-red-700 dark:text-red-400">{preview.message}</p>;
  if (preview.kind === "image") {
    return (
      // eslint-disable-next-line @next/next/no-img-element -- a presigned URL on the store, not an app asset
      <img src={preview.url} alt={name} className="max-h-96 max-w-full rounded border border-slate-200" />
    );
  }
  const lower = name.toLowerCase();
  const note = preview.truncated ? <p className="text-xs">{t("previewTruncated")}</p> : null;
  if (lower.endsWith(".csv") || lower.endsWith(".tsv")) {
    const rows = Papa.parse<string[]>(preview.text, { skipEmptyLines: true }).data.slice(0, 200);
    return (
      <div className="flex flex-col gap-1">
        {note}
        <p className="text-xs">{t("rows", { count: rows.length })}</p>
        <div className="max-h-96 overflow-auto">
          <table className="text-xs">
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className="border-b border-slate-100 dark:border-slate-800">
                  {r.map((cell, j) =>
                    i === 0 ? (
                      <th key={j} className="px-2 py-1 text-left">
                        {cell}
                      </th>
                    ) : (
                      <td key={j} className="px-2 py-1">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    );
  }
  let shown = preview.text;
  if (lower.endsWith(".json") && !preview.truncated) {
    try {
      shown = JSON.stringify(JSON.parse(preview.text), null, 2);
    } catch {
      /* shown as it is */
    }
  } else if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
    shown = preview.text
      .split("\n")
      .filter(Boolean)
      .slice(0, 500)
      .map((line) => {
        try {
          return JSON.stringify(JSON.parse(line));
        } catch {
          return line;
        }
      })
      .join("\n");
  }
  return (
    <div className="flex flex-col gap-1">
      {note}
      {/\.(html?|svg)$/.test(lower) ? <p className="text-xs">{t("previewAsText")}</p> : null}
      <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs whitespace-pre-wrap dark:bg-slate-950">
        {shown}
      </pre>
    </div>
  );
}
