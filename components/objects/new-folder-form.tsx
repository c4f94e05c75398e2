"use client";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { z } from "zod";
import { api } from "@/lib/api-client";
import { folderNameSchema } from "@/lib/validation/objects";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

export function NewFolderForm({
  bucket,
  connectionId,
  prefix,
  onCreated,
}: {
  bucket: string;
  connectionId: string;
  prefix: string;
  onCreated: (prefix: string) => void;
}) {
  const t = useTranslations("objects");
  const tc = useTranslations("common");
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = folderNameSchema.safeParse(name);
    if (!parsed.success) {
      setError(`${t("folderName")}: ${parsed.error.issues[0]?.message ?? ""}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api(
        `/api/buckets/${encodeURIComponent(bucket)}/folders?connection=${encodeURIComponent(connectionId)}`,
        z.object({ prefix: z.string() }),
        { method: "POST", body: { prefix, name } },
      );
      setName("");
      setOpen(false);
      onCreated(r.prefix);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <div>
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t("newFolder")}
        </Button>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} aria-label={t("newFolder")} className="flex flex-wrap items-end gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm font-medium">
          {t("folderName")}
        </label>
        <input
          id={id}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-error`}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
        />
      </div>
      <Button type="submit" disabled={busy}>
        {t("create")}
      </Button>
      <Button variant="ghost" onClick={() => setOpen(false)}>
        {tc("cancel")}
      </Button>
      <p
        id={`${id}-error`}
        role={error ? "alert" : undefined}
        className="w-full text-xs text-red-700 dark:text-red-400"
      >
        {error ?? ""}
      </p>
    </form>
  );
}
