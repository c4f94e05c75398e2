"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";
import { accessCodeSchema, shareSchema, type Share } from "@/lib/validation/shares";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { ReceivedFiles } from "./received-files";

const EXTEND = [
  ["1d", 86_400],
  ["7d", 7 * 86_400],
  ["30d", 30 * 86_400],
] as const;

/**
 * The user's share pages and upload requests (an administrator's: everyone's): what each shows or fills,
 * its state and counts, and the owner's controls: a new lifetime, a new code or none, revoke (close).
 */
export function SharesManager({ initial }: { initial: Share[] }) {
  const t = useTranslations("shares");
  const [shares, setShares] = useState(initial);
  const replace = (s: Share) => setShares((list) => list.map((x) => (x.id === s.id ? s : x)));
  if (shares.length === 0) return <p className="text-sm">{t("none")}</p>;
  return (
    <ul className="flex flex-col gap-4" aria-label={t("listLabel")}>
      {shares.map((s) => (
        <ShareCard key={s.id} share={s} onChange={replace} />
      ))}
    </ul>
  );
}

function ShareCard({ share: s, onChange }: { share: Share; onChange: (s: Share) => void }) {
  const t = useTranslations("shares");
  const format = useFormatter();
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [extendBy, setExtendBy] = useState<number>(7 * 86_400);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [showFiles, setShowFiles] = useState(false);
  const bytes = (n: number) => formatBytes(n, (v, d) => format.number(v, { maximumFractionDigits: d }));
  const where = s.key ?? s.prefix ?? "";
  const what = where === "" ? `${s.bucket} ${t("wholeBucket")}` : `${s.bucket}/${where}`;
  const active = s.status === "active";

  async function patch(body: { expiresIn?: number; code?: string | null }, done: string) {
    setMessage(null);
    try {
      onChange(await api(`/api/shares/${encodeURIComponent(s.id)}`, shareSchema, { method: "PATCH", body }));
      setMessage({ tone: "success", text: done });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  async function revoke() {
    setConfirming(false);
    try {
      onChange(await api(`/api/shares/${encodeURIComponent(s.id)}/revoke`, shareSchema, { method: "POST" }));
      setMessage({ tone: "success", text: s.kind === "upload" ? t("closed") : t("revoked") });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  return (
    <li
      aria-labelledby={`${id}-name`}
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-name`} className="font-medium break-all">
          {s.title ? `${s.title} — ` : ""}
          {what}
        </h2>
        <span className="text-sm">
          {t(`kinds.${s.kind}`)} · {t(`statuses.${s.status}`)}
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        {t("facts", {
          expires: format.dateTime(new Date(s.expiresAt), { dateStyle: "medium", timeStyle: "short" }),
          connection: s.connectionName,
          creator: s.creator,
        })}
        {" · "}
        {s.hasCode ? t("withCode") : t("withoutCode")}
        {s.singleUse ? ` · ${t("singleUseShort")}` : ""}
      </p>
      <p className="mt-1 text-sm">
        {s.kind === "download"
          ? t("counts", { views: s.views, downloads: s.downloads })
          : t("receivedCount", { files: s.received.files, size: bytes(s.received.bytes), views: s.views })}
      </p>
      {message ? (
        <div className="mt-2">
          <Alert tone={message.tone}>{message.text}</Alert>
        </div>
      ) : null}
      {active ? (
        <div className="mt-3 flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-extend`} className="text-sm font-medium">
              {t("newLifetime")}
            </label>
            <div className="flex gap-2">
              <select
                id={`${id}-extend`}
                value={extendBy}
                onChange={(e) => setExtendBy(Number(e.target.value))}
                className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
              >
                {EXTEND.map(([k, v]) => (
                  <option key={k} value={v}>
                    {t(`fromNow.${k}`)}
                  </option>
                ))}
              </select>
              <Button variant="secondary" onClick={() => void patch({ expiresIn: extendBy }, t("extended"))}>
                {t("applyLifetime")}
              </Button>
            </div>
          </div>
          <form
            className="flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const parsed = accessCodeSchema.safeParse(code);
              if (!parsed.success) return setCodeError(parsed.error.issues[0]?.message ?? "");
              setCodeError(null);
              void patch({ code: parsed.data }, t("codeChanged")).then(() => setCode(""));
            }}
          >
            <TextField
              label={t("newCode")}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={codeError}
              autoComplete="off"
            />
            <Button type="submit" variant="secondary">
              {t("setCode")}
            </Button>
          </form>
          {s.hasCode ? (
            <Button variant="secondary" onClick={() => void patch({ code: null }, t("codeRemoved"))}>
              {t("removeCode")}
            </Button>
          ) : null}
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {s.kind === "upload" ? t("close") : t("revoke")}
          </Button>
        </div>
      ) : null}
      {s.kind === "upload" ? (
        <div className="mt-3">
          <Button variant="ghost" aria-expanded={showFiles} onClick={() => setShowFiles((v) => !v)}>
            {showFiles ? t("hideFiles") : t("showFiles")}
          </Button>
          {showFiles ? <ReceivedFiles shareId={s.id} /> : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={s.kind === "upload" ? t("closeTitle") : t("revokeTitle")}
        message={s.kind === "upload" ? t("closeMessage") : t("revokeMessage")}
        confirmLabel={s.kind === "upload" ? t("close") : t("revoke")}
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setConfirming(false)}
      />
    </li>
  );
}
