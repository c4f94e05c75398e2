"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { entriesFromDrop, entriesFromInput } from "@/lib/upload/pick";
import { shareTransport, visitFor, type ShareTransport } from "@/lib/upload/share-transport";
import type { PickedEntry } from "@/lib/upload/types";
import { shareVisitFilesSchema, type PublicShare } from "@/lib/validation/shares";
import { PickButton } from "@/components/upload/pick-button";
import { UploadProvider, useUploads } from "@/components/upload/upload-provider";
import { Alert } from "@/components/ui/alert";
import { TextField } from "@/components/ui/text-field";
import { UnlockForm } from "./unlock-form";
import { usePublicError } from "./use-public-error";
import { useShare } from "./use-share";

type Limits = NonNullable<PublicShare["limits"]>;
type VisitFiles = ReturnType<typeof shareVisitFilesSchema.parse>["files"];

/**
 * An upload request (/u/<token>) for someone without an account: the code if it asks for one, what it
 * takes, a name for this drop (else the date), then files and folders dropped or picked, sent straight to
 * the store with the console's engine (parts, retries, resume after a reload), and what this visitor sent.
 */
export function UploadRequestPage({ token }: { token: string }) {
  const t = useTranslations("publicUpload");
  const format = useFormatter();
  const { info, error, unlock, reload } = useShare("uploads", token);
  if (error) {
    return (
      <section aria-labelledby="request-title" className="flex flex-col gap-4">
        <h1 id="request-title" className="text-2xl font-semibold">
          {t("unavailable")}
        </h1>
        <Alert tone="error">{error}</Alert>
      </section>
    );
  }
  if (!info) return <p role="status">{t("loading")}</p>;
  return (
    <section aria-labelledby="request-title" className="flex flex-col gap-4">
      <div>
        <h1 id="request-title" className="text-2xl font-semibold break-all">
          {info.title ?? t("heading", { name: info.name })}
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {t("intro")}{" "}
          {t("until", {
            date: format.dateTime(new Date(info.expiresAt), { dateStyle: "medium", timeStyle: "short" }),
          })}
        </p>
      </div>
      {info.unlocked && info.limits ? (
        <Receiver token={token} name={info.name} limits={info.limits} onSent={reload} />
      ) : (
        <UnlockForm needsCode={info.needsCode} onUnlock={unlock} />
      )}
    </section>
  );
}

function Receiver(props: { token: string; name: string; limits: Limits; onSent: () => Promise<void> }) {
  const [visit] = useState(() => visitFor(props.token));
  const [transport] = useState(() => shareTransport(props.token, visit));
  return (
    <UploadProvider userId={`share:${visit}`} transport={transport} publicPage>
      <Drop {...props} visit={visit} transport={transport} />
    </UploadProvider>
  );
}

const extensionOf = (path: string) => {
  const name = path.split("/").pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
};

function Drop({
  token,
  name,
  limits,
  visit,
  transport,
  onSent,
}: {
  token: string;
  name: string;
  limits: Limits;
  visit: string;
  transport: ShareTransport;
  onSent: () => Promise<void>;
}) {
  const t = useTranslations("publicUpload");
  const format = useFormatter();
  const describe = usePublicError();
  const { upload, onSettled } = useUploads();
  const id = useId();
  const [labelText, setLabelText] = useState("");
  const [refused, setRefused] = useState<string[]>([]);
  const [over, setOver] = useState(false);
  const [mine, setMine] = useState<VisitFiles>([]);
  const [error, setError] = useState<string | null>(null);
  const bytes = (n: number) => formatBytes(n, (v, d) => format.number(v, { maximumFractionDigits: d }));
  const target = { connectionId: "upload-request", bucket: name };

  const refresh = useCallback(async () => {
    try {
      const r = await api(`/api/public/uploads/${encodeURIComponent(token)}/files`, shareVisitFilesSchema, {
        method: "POST",
        body: { visit },
      });
      setMine(r.files);
    } catch (err) {
      setError(describe(err));
    }
  }, [token, visit, describe]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- what this visit sent before a reload
    void refresh();
    return onSettled(() => {
      void refresh();
      void onSent();
    });
  }, [refresh, onSettled, onSent]);

  /** Files this request does not take are named with the reason and left out; the rest are sent. */
  function send(entries: PickedEntry[]) {
    const files = entries.filter((e): e is Extract<PickedEntry, { kind: "file" }> => e.kind === "file");
    const reasons: string[] = [];
    const ok: PickedEntry[] = [];
    let count = 0;
    let total = 0;
    for (const f of files) {
      if (limits.extensions && !limits.extensions.includes(extensionOf(f.path))) {
        reasons.push(
          t("refusedType", { name: f.path, allowed: limits.extensions.map((e) => `.${e}`).join(", ") }),
        );
      } else if (limits.maxFileBytes !== null && f.file.size > limits.maxFileBytes) {
        reasons.push(t("refusedSize", { name: f.path, limit: bytes(limits.maxFileBytes) }));
      } else if (limits.filesLeft !== null && count + 1 > limits.filesLeft) {
        reasons.push(t("refusedCount", { name: f.path, left: limits.filesLeft }));
      } else if (limits.bytesLeft !== null && total + f.file.size > limits.bytesLeft) {
        reasons.push(t("refusedTotal", { name: f.path, left: bytes(limits.bytesLeft) }));
      } else {
        ok.push(f);
        count++;
        total += f.file.size;
      }
    }
    setRefused(reasons);
    if (ok.length > 0) void upload(target, "", ok);
  }

  const rules = [
    limits.extensions ? t("onlyTypes", { types: limits.extensions.map((e) => `.${e}`).join(", ") }) : null,
    limits.maxFileBytes !== null ? t("maxFile", { size: bytes(limits.maxFileBytes) }) : null,
    limits.filesLeft !== null ? t("filesLeft", { count: limits.filesLeft }) : null,
    limits.bytesLeft !== null ? t("bytesLeft", { size: bytes(limits.bytesLeft) }) : null,
  ].filter((r): r is string => r !== null);

  return (
    <div className="flex flex-col gap-4">
      {rules.length > 0 ? (
        <ul className="list-inside list-disc text-sm" aria-label={t("rulesLabel")}>
          {rules.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <TextField
        label={t("labelField")}
        hint={t("labelHint", { date: new Date().toISOString().slice(0, 10) })}
        value={labelText}
        maxLength={100}
        onChange={(e) => {
          setLabelText(e.target.value);
          transport.setLabel(e.target.value);
        }}
      />
      <div
        aria-labelledby={`${id}-drop`}
        role="group"
        className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed p-8 text-center ${
          over ? "border-brand-600 bg-brand-50 dark:bg-slate-800" : "border-slate-300 dark:border-slate-600"
        }`}
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes("Files")) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
          setOver(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={(e) => {
          if (!e.dataTransfer.types.includes("Files")) return;
          e.preventDefault();
          setOver(false);
          void entriesFromDrop(e.dataTransfer.items).then(send);
        }}
      >
        <p id={`${id}-drop`} className="font-medium">
          {t("dropHere")}
        </p>
        <div className="flex flex-wrap justify-center gap-2">
          <PickButton label={t("pickFiles")} onFiles={(list) => send(entriesFromInput(list))} />
          <PickButton
            label={t("pickFolder")}
            folder
            variant="secondary"
            onFiles={(list) => send(entriesFromInput(list))}
          />
        </div>
      </div>
      {refused.length > 0 ? (
        <Alert tone="error">
          <p>{t("refused", { count: refused.length })}</p>
          <ul className="mt-1 list-inside list-disc">
            {refused.slice(0, 20).map((r) => (
              <li key={r} className="break-all">
                {r}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <section aria-labelledby={`${id}-mine`}>
        <h2 id={`${id}-mine`} className="text-lg font-semibold">
          {t("sentTitle")}
        </h2>
        {mine.length === 0 ? (
          <p className="text-sm">{t("nothingSent")}</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm">
            <caption className="sr-only">{t("sentCaption")}</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-3">
                  {t("sentName")}
                </th>
                <th scope="col" className="py-1 pr-3">
                  {t("sentSize")}
                </th>
                <th scope="col" className="py-1">
                  {t("sentState")}
                </th>
              </tr>
            </thead>
            <tbody>
              {mine.map((f) => (
                <tr key={f.storedAs} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1 pr-3 break-all">
                    {f.path}
                    {f.storedAs.split("/").pop() !== f.path.split("/").pop() ? (
                      <span className="block text-xs text-slate-600 dark:text-slate-400">
                        {t("keptAs", { name: f.storedAs.split("/").pop() ?? f.storedAs })}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-1 pr-3">{bytes(f.size)}</td>
                  <td className="py-1">{f.status === "done" ? t("arrived") : t("pending")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
