/**
 * Where to go after signing in: only a path of this app. Anything that a browser could read as another
 * site is refused and "/" is used instead: `//host`, `/\host`, absolute URLs, paths with control
 * characters (tabs and newlines are dropped by URL parsers, turning `/\t/host` into `//host`), and
 * encoded forms of the same (`/%2F%2Fhost`, `%5C`), once or twice encoded.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2048) return "/";
  let decoded = next;
  for (let i = 0; i < 3; i++) {
    try {
      const d = decodeURIComponent(decoded);
      if (d === decoded) break;
      decoded = d;
    } catch {
      return "/";
    }
  }
  for (const form of [next, decoded]) {
    if (!form.startsWith("/")) return "/";
    if (/^\/[/\\]/.test(form)) return "/";
    if (/[\u0000-\u001f\u007f\\]/.test(form)) return "/";
  }
  // The URL parser is the last word: a path that resolves to another origin is not a path of ours.
  try {
    const base = "http://obm.invalid";
    if (new URL(next, base).origin !== base) return "/";
  } catch {
    return "/";
  }
  return next;
}
