import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SetupForm } from "@/components/auth/setup-form";
import { setupRequired } from "@/lib/server/auth/accounts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth"))("setupTitle") };
}

export default async function SetupPage() {
  if (!(await setupRequired())) redirect("/login");
  const t = await getTranslations("auth");
  return (
    <>
      <h1 className="text-xl font-semibold">{t("setupTitle")}</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600 dark:text-slate-400">{t("setupIntro")}</p>
      <SetupForm />
    </>
  );
}
