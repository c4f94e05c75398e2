"use client";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { THEME_COOKIE, themeClass, themes, type Theme } from "@/lib/theme";

/** System, light or dark: applied at once and remembered in a cookie (read by the server on every page). */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const t = useTranslations("common");
  const id = useId();
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="sr-only">
        {t("theme")}
      </label>
      <select
        id={id}
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          const html = document.documentElement;
          html.classList.remove("light", "dark");
          const cls = themeClass(next);
          if (cls) html.classList.add(cls);
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {themes.map((v) => (
          <option key={v} value={v}>
            {t(`themes.${v}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
