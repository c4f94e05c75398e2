"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState, type FormEvent } from "react";
import { z } from "zod";
import { api, ApiError } from "@/lib/api-client";
import { safeNext } from "@/lib/safe-next";
import { sessionUserSchema } from "@/lib/validation/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

const SSO_FAILURES = [
  "not_configured",
  "provider_unreachable",
  "denied",
  "attempt_expired",
  "state_mismatch",
  "code_rejected",
  "clock_skew",
  "token_invalid",
  "no_identity",
  "local_only",
] as const;

/** Where the user menu leaves the provider's sign-out address for the sign-in page to offer. */
export const PROVIDER_SIGN_OUT_KEY = "obm_provider_sign_out";

export function LoginForm({
  sso,
  localSignIn,
}: {
  sso: { name: string } | null;
  localSignIn: "all" | "admins";
}) {
  const t = useTranslations("auth");
  const router = useRouter();
  const params = useSearchParams();
  const errorMessage = useApiErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ssoError = params.get("sso_error");
  const failure = SSO_FAILURES.find((f) => f === ssoError);
  const [providerSignOut] = useState(() =>
    typeof window !== "undefined" && params.get("signedOut")
      ? sessionStorage.getItem(PROVIDER_SIGN_OUT_KEY)
      : null,
  );
  useEffect(() => {
    if (providerSignOut) sessionStorage.removeItem(PROVIDER_SIGN_OUT_KEY);
  }, [providerSignOut]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api("/api/auth/login", z.object({ user: sessionUserSchema }), {
        method: "POST",
        body: { username: String(form.get("username") ?? ""), password: String(form.get("password") ?? "") },
      });
      router.replace(safeNext(params.get("next")));
      router.refresh();
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "unauthenticated") setError(t("wrongCredentials"));
      else if (err instanceof ApiError && err.details?.reason === "sso_only") {
        setError(t("ssoOnly", { name: sso?.name ?? "" }));
      } else if (err instanceof ApiError && err.code === "too_many_requests") {
        setError(t("throttled", { seconds: Number(err.details?.retryAfterSeconds ?? 60) }));
      } else setError(errorMessage(err));
    }
  }

  const passwordForm = (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-label={t("signInTitle")}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField label={t("username")} name="username" autoComplete="username" required />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Button type="submit" disabled={busy} variant={sso ? "secondary" : "primary"}>
        {busy ? t("signingIn") : t("signIn")}
      </Button>
    </form>
  );
  const next = params.get("next");
  return (
    <div className="flex flex-col gap-6">
      {params.get("expired") ? <Alert tone="info">{t("sessionExpired")}</Alert> : null}
      {params.get("signedOut") ? (
        <Alert tone="info">
          {t("signedOut")}{" "}
          {providerSignOut && sso ? (
            <a href={providerSignOut} className="font-medium underline">
              {t("alsoSignOut", { name: sso.name })}
            </a>
          ) : null}
        </Alert>
      ) : null}
      {failure ? <Alert tone="error">{t(`ssoErrors.${failure}`, { name: sso?.name ?? "" })}</Alert> : null}
      {sso ? (
        <a
          href={`/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ""}`}
          className="inline-flex items-center justify-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          {t("ssoButton", { name: sso.name })}
        </a>
      ) : null}
      {sso && localSignIn === "admins" ? (
        <details>
          <summary className="cursor-pointer text-sm font-medium">{t("adminPassword")}</summary>
          <div className="mt-4">{passwordForm}</div>
        </details>
      ) : (
        <>
          {sso ? (
            <p className="text-center text-xs text-slate-500 dark:text-slate-400">{t("orPassword")}</p>
          ) : null}
          {passwordForm}
        </>
      )}
    </div>
  );
}
