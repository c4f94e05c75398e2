import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

// Headers for every response. The page CSP carries a per-request nonce, so it is set in proxy.ts; API
// responses are JSON and get a CSP that allows nothing at all.
const common = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  // Presigned URLs must never leak to other sites through the Referer header.
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2"],
  // Nothing here uses next/image: its optimiser (/_next/image, which fetches and resizes on request) stays
  // off, so it cannot be made to fetch anything.
  images: { unoptimized: true },
  // Source maps for the browser's bundles only when a benchmark asks (BENCH_PROFILE builds with
  // OBM_BROWSER_SOURCE_MAPS=1 to map a profile of the page back to our files); a user's build ships none.
  productionBrowserSourceMaps: process.env.OBM_BROWSER_SOURCE_MAPS === "1",
  async headers() {
    return [
      { source: "/:path*", headers: common },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
