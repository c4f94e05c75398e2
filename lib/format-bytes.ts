/** 1536 → "1.5 KiB": binary units, as OBS and ModelArts report sizes; numbers in the user's locale. */
export function formatBytes(
  n: number,
  formatNumber: (v: number, maximumFractionDigits: number) => string,
): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, i === 0 ? 0 : 1)} ${units[i]}`;
}
