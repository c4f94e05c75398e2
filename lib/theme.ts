// The colour theme: follow the system (the default), or light or dark as chosen. Browser-safe: the switch
// writes the cookie, the root layout reads it so the first paint already has the right colours.
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];
export const THEME_COOKIE = "obm_theme";

export function parseTheme(v: unknown): Theme {
  return typeof v === "string" && (themes as readonly string[]).includes(v) ? (v as Theme) : "system";
}

/** The class on <html>: none for "system" (the CSS follows prefers-color-scheme then). */
export const themeClass = (t: Theme): string | undefined => (t === "system" ? undefined : t);
