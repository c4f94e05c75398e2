// The object browser's address for a folder: /buckets/<bucket>/<segment>/<segment>, each segment URL-encoded
// on its own. Browsers and proxies rewrite some paths ("." and ".." segments are resolved, even written as
// %2E; empty segments are merged), so a folder whose path has such a segment is addressed with ?prefix=
// instead, which nothing rewrites.

function needsQuery(prefix: string): boolean {
  const segments = prefix.replace(/\/$/, "").split("/");
  return prefix !== "" && segments.some((s) => s === "" || s === "." || s === ".." || /^(%2e|\.)+$/i.test(s));
}

export function browserHref(bucket: string, prefix: string, query: string | URLSearchParams = ""): string {
  const params = new URLSearchParams(query);
  let path = `/buckets/${encodeURIComponent(bucket)}`;
  if (needsQuery(prefix)) params.set("prefix", prefix);
  else {
    const segments = prefix.split("/").filter(Boolean).map(encodeURIComponent);
    if (segments.length > 0) path += `/${segments.join("/")}`;
  }
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

/** A URL segment decoded once; a malformed one (a stray %) is null, and the page answers 404. */
export function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The folder a page is about: ?prefix= when given (a folder path must end in "/"), else the path. */
export function pagePrefix(segments: string[], queryPrefix: string | undefined): string | null {
  if (queryPrefix !== undefined) return queryPrefix === "" || queryPrefix.endsWith("/") ? queryPrefix : null;
  const decoded = segments.map(decodeSegment);
  if (decoded.some((d) => d === null)) return null;
  return decoded.length ? `${decoded.join("/")}/` : "";
}

/**
 * Whether a key has "." or ".." segments: browsers resolve those in every address (even written %2E), so
 * such an object cannot be fetched from a page by its presigned URL; `curl --path-as-is` can.
 */
export function hasDotSegment(key: string): boolean {
  return key.split("/").some((s) => s === "." || s === "..");
}
