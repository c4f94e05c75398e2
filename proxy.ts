import { NextResponse, type NextRequest } from "next/server";
import { HSTS, isOwnHost, isSecureHeaders } from "@/lib/server/auth/request-info";

// Sets a Content-Security-Policy with a fresh nonce on every page, so that Next's own inline scripts run and
// nothing injected does, and refuses pages asked for under a foreign host name. Authentication is NOT
// decided here: every route handler and page checks the
// session itself (lib/server/http/route.ts, lib/server/auth/current-user.ts).
export function proxy(request: NextRequest) {
  // A page asked for under a name that is not this server's (a DNS-rebinding page) is not served.
  if (!isOwnHost(request.headers)) {
    return new NextResponse("This server does not answer to that name (an administrator sets APP_ORIGIN).", {
      status: 421,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the uploader compile its MD5 WebAssembly (hash-wasm); it allows no JS eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    // The uploader reads and hashes files in a worker of our own (lib/upload/digest.ts).
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // Previews and uploads talk to the user's object store, whose address only the user knows.
    "img-src 'self' data: blob: https: http:",
    "connect-src 'self' https: http:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  // The page asked for, so that a page behind sign-in can come back to it afterwards (a hint only: it is
  // checked by lib/safe-next.ts like any other "next").
  headers.set("x-obm-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  // Served over HTTPS: browsers are told to come back only over HTTPS.
  if (isSecureHeaders(request.headers, request.nextUrl.protocol)) {
    response.headers.set("Strict-Transport-Security", HSTS);
  }
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
