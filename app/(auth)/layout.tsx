import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { cookies } from "next/headers";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations("app");
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex items-center justify-between px-6 py-4">
        <span className="font-semibold">{t("name")}</span>
        <div className="flex items-center gap-4">
          <ThemeSwitch initial={parseTheme((await cookies()).get(THEME_COOKIE)?.value)} />
          <LanguageSwitch />
        </div>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-12 pb-24">
        <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          {children}
        </div>
      </main>
    </div>
  );
}
