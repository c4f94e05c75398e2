/** 75 → "1 min" / "1 分钟": the largest whole unit, in the user's language (Intl unit formatting). */
export function formatDuration(seconds: number, locale: string): string {
  const s = Math.max(0, Math.round(seconds));
  const [value, unit] =
    s < 60
      ? [s, "second"]
      : s < 3600
        ? [Math.round(s / 60), "minute"]
        : s < 86400
          ? [Math.round(s / 360) / 10, "hour"]
          : [Math.round(s / 8640) / 10, "day"];
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit,
    unitDisplay: "long",
    maximumFractionDigits: 1,
  }).format(value);
}
