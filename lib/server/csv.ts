import "server-only";

/**
 * One CSV field: quoted when it holds a comma, quote or line break, and with a leading ' when it starts like
 * a spreadsheet formula (= + - @, tab or carriage return), so opening an export never runs a formula that a
 * key, a file name or a username smuggled in.
 */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
