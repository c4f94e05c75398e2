import type { ReactNode } from "react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AppNav } from "@/components/layout/app-nav";
import { cookies } from "next/headers";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";
import { UserMenu } from "@/components/layout/user-menu";
import { Toaster } from "@/components/ui/toaster";
import { UploadProvider } from "@/components/upload/upload-provider";
import { requireUser } from "@/lib/server/auth/current-user";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const t = await getTranslations();
  return (
    <Toaster>
      <UploadProvider userId={user.userId}>
        <div className="flex min-h-screen flex-col">
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            {t("common.skipToContent")}
          </a>
          <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
            <Link href="/" className="font-semibold">
              {t("app.name")}
            </Link>
            <div className="flex items-center gap-4">
              <ThemeSwitch initial={parseTheme((await cookies()).get(THEME_COOKIE)?.value)} />
              <LanguageSwitch />
              <UserMenu username={user.username} userId={user.userId} />
            </div>
          </header>
          <div className="flex flex-1 flex-col md:flex-row">
            <aside className="border-b border-slate-200 p-3 md:w-56 md:border-r md:border-b-0 dark:border-slate-800">
              <AppNav isAdmin={user.role === "admin"} />
            </aside>
            <main id="main" className="flex-1 px-6 py-8">
              {children}
            </main>
          </div>
        </div>
      </UploadProvider>
    </Toaster>
  );
}
