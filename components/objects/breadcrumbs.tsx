"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";

/** The page of a folder: /buckets/<bucket>/<segment>/<segment>, each segment URL-encoded on its own. */
export function browserHref(bucket: string, prefix: string): string {
  const segments = prefix.split("/").filter(Boolean).map(encodeURIComponent);
  return `/buckets/${encodeURIComponent(bucket)}${segments.length ? `/${segments.join("/")}` : ""}`;
}

export function Breadcrumbs({ bucket, prefix, query }: { bucket: string; prefix: string; query: string }) {
  const t = useTranslations("objects");
  const parts = prefix.split("/").filter(Boolean);
  const crumbs = [
    { label: t("root", { bucket }), prefix: "" },
    ...parts.map((p, i) => ({ label: p, prefix: `${parts.slice(0, i + 1).join("/")}/` })),
  ];
  return (
    <nav aria-label={t("breadcrumbs")}>
      <ol className="flex flex-wrap items-center gap-1 text-lg font-semibold">
        {crumbs.map((c, i) => (
          <li key={c.prefix} className="flex items-center gap-1">
            {i > 0 ? (
              <span aria-hidden="true" className="text-slate-400">
                /
              </span>
            ) : null}
            {i === crumbs.length - 1 ? (
              <h1 aria-current="page" className="break-all">
                {c.label}
              </h1>
            ) : (
              <Link
                href={`${browserHref(bucket, c.prefix)}?${query}`}
                className="break-all text-brand-700 hover:underline dark:text-brand-100"
              >
                {c.label}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
