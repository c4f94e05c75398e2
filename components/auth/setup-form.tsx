"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { api, ApiError } from "@/lib/api-client";
import { credentialsSchema, PASSWORD_MIN, sessionUserSchema } from "@/lib/validation/auth";
import { fieldErrorsOf } from "@/lib/field-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

export function SetupForm() {
  const t = useTranslations("auth");
  const router = useRouter();
  const errorMessage = useApiErrorMessage();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    const parsed = credentialsSchema.safeParse(input);
    const errors: Record<string, string> = parsed.success ? {} : fieldErrorsOf(parsed.error);
    if (input.password !== String(form.get("confirm") ?? "")) errors.confirm = t("passwordsDiffer");
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0 || !parsed.success) return;
    setBusy(true);
    setError(null);
    try {
      await api("/api/auth/setup", z.object({ user: sessionUserSchema }), {
        method: "POST",
        body: parsed.data,
      });
      router.replace("/");
      router.refresh();
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "setup_done") {
        router.replace("/login");
        return;
      }
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={t("setupTitle")}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField
        label={t("username")}
        name="username"
        autoComplete="username"
        required
        error={fieldErrors.username}
      />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={t("passwordHint", { min: PASSWORD_MIN })}
        error={fieldErrors.password}
      />
      <TextField
        label={t("confirmPassword")}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={fieldErrors.confirm}
      />
      <Button type="submit" disabled={busy}>
        {busy ? t("creating") : t("createAdmin")}
      </Button>
    </form>
  );
}
