"use client";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api } from "@/lib/api-client";
import { editMetadataResultSchema, editMetadataSchema, type ObjectDetails } from "@/lib/validation/objects";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

/**
 * Edits what an object is served with (Content-Type, Content-Disposition, Cache-Control, Content-Encoding)
 * and its custom metadata. Saving copies the object onto itself (its storage class and ACL kept).
 */
export function MetadataEditor({
  bucket,
  connectionId,
  details,
  onSaved,
}: {
  bucket: string;
  connectionId: string;
  details: ObjectDetails;
  onSaved: () => void;
}) {
  const t = useTranslations("metadata");
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [contentType, setContentType] = useState(details.contentType ?? "");
  const [disposition, setDisposition] = useState(details.contentDisposition ?? "");
  const [cacheControl, setCacheControl] = useState(details.cacheControl ?? "");
  const [encoding, setEncoding] = useState(details.contentEncoding ?? "");
  const [rows, setRows] = useState(() =>
    Object.entries(details.metadata).map(([name, value]) => ({ name, value })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const input = {
      key: details.key,
      ...(contentType.trim() ? { contentType: contentType.trim() } : {}),
      ...(disposition.trim() ? { contentDisposition: disposition.trim() } : {}),
      ...(cacheControl.trim() ? { cacheControl: cacheControl.trim() } : {}),
      ...(encoding.trim() ? { contentEncoding: encoding.trim() } : {}),
      metadata: Object.fromEntries(
        rows.filter((r) => r.name.trim()).map((r) => [r.name.trim().toLowerCase(), r.value]),
      ),
    };
    const parsed = editMetadataSchema.safeParse(input);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[issue.path.join(".")] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    setMessage(null);
    try {
      const r = await api(
        `/api/buckets/${encodeURIComponent(bucket)}/objects/metadata?connection=${encodeURIComponent(connectionId)}`,
        editMetadataResultSchema,
        { method: "POST", body: parsed.data },
      );
      setMessage({ tone: "success", text: r.aclKept ? t("saved") : t("savedAclNotKept") });
      onSaved();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-2">
      <div className="flex items-center gap-3">
        <h3 id={`${id}-title`} className="text-base font-semibold">
          {t("title")}
        </h3>
        <Button variant="ghost" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {open ? t("hide") : t("edit")}
        </Button>
      </div>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {open ? (
        <form onSubmit={save} className="flex flex-col gap-3" noValidate>
          <p className="text-sm text-slate-600 dark:text-slate-300">{t("intro")}</p>
          <TextField
            label="Content-Type"
            value={contentType}
            onChange={(e) => setContentType(e.target.value)}
            error={errors.contentType}
            spellCheck={false}
          />
          <TextField
            label="Content-Disposition"
            value={disposition}
            onChange={(e) => setDisposition(e.target.value)}
            error={errors.contentDisposition}
            spellCheck={false}
          />
          <TextField
            label="Cache-Control"
            value={cacheControl}
            onChange={(e) => setCacheControl(e.target.value)}
            error={errors.cacheControl}
            spellCheck={false}
          />
          <TextField
            label="Content-Encoding"
            value={encoding}
            onChange={(e) => setEncoding(e.target.value)}
            error={errors.contentEncoding}
            spellCheck={false}
          />
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">{t("custom")}</legend>
            {rows.map((r, i) => (
              <div key={i} className="flex flex-wrap items-end gap-2">
                <TextField
                  label={t("name", { n: i + 1 })}
                  value={r.name}
                  onChange={(e) =>
                    setRows((all) => all.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
                  }
                  error={errors[`metadata.${r.name.trim().toLowerCase()}`]}
                  spellCheck={false}
                />
                <TextField
                  label={t("value", { n: i + 1 })}
                  value={r.value}
                  onChange={(e) =>
                    setRows((all) => all.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
                  }
                  spellCheck={false}
                />
                <Button variant="ghost" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                  {t("remove", { n: i + 1 })}
                </Button>
              </div>
            ))}
            <div>
              <Button variant="secondary" onClick={() => setRows((all) => [...all, { name: "", value: "" }])}>
                {t("add")}
              </Button>
            </div>
            {errors.metadata ? (
              <p className="text-xs text-red-700 dark:text-red-400">{errors.metadata}</p>
            ) : null}
          </fieldset>
          <div>
            <Button type="submit" disabled={busy}>
              {busy ? t("saving") : t("save")}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
