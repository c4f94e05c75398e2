"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

/** The access code a share asks for, or the one-time opening of a single-use share. */
export function UnlockForm({
  needsCode,
  onUnlock,
}: {
  needsCode: boolean;
  onUnlock: (code: string) => Promise<void>;
}) {
  const t = useTranslations("publicShare");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex max-w-sm flex-col gap-3"
      onSubmit={async (e) => {
        e.preventDefault();
        if (needsCode && code.trim() === "") return setError(t("codeRequired"));
        setBusy(true);
        setError(null);
        try {
          await onUnlock(code.trim());
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      {needsCode ? (
        <TextField
          label={t("codeLabel")}
          hint={t("codeHint")}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          error={error}
        />
      ) : (
        <>
          <p className="text-sm">{t("singleUseNote")}</p>
          {error ? <Alert tone="error">{error}</Alert> : null}
        </>
      )}
      <Button type="submit" disabled={busy}>
        {busy ? t("opening") : t("open")}
      </Button>
    </form>
  );
}
