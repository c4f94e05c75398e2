import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { cookies } from "next/headers";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";

// Pages for people without an account (share pages, upload requests): no session, no console navigation.
export default async function PublicLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations();
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        {t("common.skipToContent")}
      </a>
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
        <span className="font-semibold">{t("app.name")}</span>
        <div className="flex items-center gap-4">
          <ThemeSwitch initial={parseTheme((await cookies()).get(THEME_COOKIE)?.value)} />
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-4xl flex-1 px-4 py-8">
        {children}
      </main>
    </div>
  );
}
