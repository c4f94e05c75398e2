"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { api } from "@/lib/api-client";
import { changePasswordSchema, PASSWORD_MIN } from "@/lib/validation/auth";
import { fieldErrorsOf } from "@/lib/field-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

export function ChangePasswordForm() {
  const t = useTranslations();
  const errorMessage = useApiErrorMessage();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const parsed = changePasswordSchema.safeParse({
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
    });
    const errors: Record<string, string> = parsed.success ? {} : fieldErrorsOf(parsed.error);
    if (form.get("newPassword") !== form.get("confirm")) errors.confirm = t("auth.passwordsDiffer");
    setFieldErrors(errors);
    if (!parsed.success || Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const r = await api("/api/auth/password", z.object({ signedOutSessions: z.number() }), {
        method: "POST",
        body: parsed.data,
      });
      formEl.reset();
      setMessage({ tone: "success", text: t("account.passwordChanged", { count: r.signedOutSessions }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={t("account.changePassword")}
      className="flex max-w-md flex-col gap-4"
    >
      <h2 className="text-lg font-semibold">{t("account.changePassword")}</h2>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <TextField
        label={t("account.currentPassword")}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        error={fieldErrors.currentPassword}
      />
      <TextField
        label={t("account.newPassword")}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint={t("auth.passwordHint", { min: PASSWORD_MIN })}
        error={fieldErrors.newPassword}
      />
      <TextField
        label={t("auth.confirmPassword")}
        name="confirm"
        type="password"
        autoComplete="new-password"
        error={fieldErrors.confirm}
      />
      <Button type="submit" disabled={busy}>
        {busy ? t("common.working") : t("account.changePassword")}
      </Button>
    </form>
  );
}
