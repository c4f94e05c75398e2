import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { setupRequired } from "@/lib/server/auth/accounts";
import { currentUser } from "@/lib/server/auth/current-user";
import { oidcSettings } from "@/lib/server/auth/oidc-client";
import { env } from "@/lib/server/env";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth"))("signInTitle") };
}

export default async function LoginPage() {
  if (await setupRequired()) redirect("/setup");
  if (await currentUser()) redirect("/");
  const t = await getTranslations("auth");
  const sso = oidcSettings();
  return (
    <>
      <h1 className="text-xl font-semibold">{t("signInTitle")}</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600 dark:text-slate-400">{t("signInIntro")}</p>
      <Suspense>
        <LoginForm sso={sso ? { name: sso.name } : null} localSignIn={env().LOCAL_SIGN_IN} />
      </Suspense>
    </>
  );
}
