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

/** One argument for a POSIX shell: single-quoted, so nothing in it (`$(…)`, backticks, `;`) runs. */
export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** Text for a shell comment: one line, whatever the text holds (a newline would start a command). */
export function shellComment(v: string): string {
  return v.replace(/[\u0000-\u001f\u007f]/g, "?");
}

/**
 * Where a download script writes a key: its path below the folder, each segment made safe so that no key
 * can write outside the target folder or make odd names: empty segments (a//b, a leading /) are dropped,
 * "." and ".." become "%2E" and "%2E%2E", and control characters and "%" are percent-encoded.
 */
export function localPath(key: string, base: string): string {
  const relative = key.startsWith(base) ? key.slice(base.length) : key;
  const segments = relative
    .split("/")
    .filter((s) => s !== "")
    .map((s) =>
      s.replace(
        /[%\u0000-\u001f\u007f]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
      ),
    )
    .map((s) => (s === "." ? "%2E" : s === ".." ? "%2E%2E" : s));
  return segments.length > 0 ? segments.join("/") : "object";
}
