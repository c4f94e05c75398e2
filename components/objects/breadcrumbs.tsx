"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { browserHref } from "@/lib/browser-path";

export function Breadcrumbs({ bucket, prefix, query }: { bucket: string; prefix: string; query: string }) {
  const t = useTranslations("objects");
  // Every segment, empty ones included ("a//b/" has three): each crumb is the exact folder above.
  const parts = prefix === "" ? [] : prefix.slice(0, -1).split("/");
  const crumbs = [
    { label: t("root", { bucket }), prefix: "" },
    ...parts.map((p, i) => ({
      label: p === "" ? t("emptyName") : p,
      prefix: `${parts.slice(0, i + 1).join("/")}/`,
    })),
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
                href={browserHref(bucket, c.prefix, query)}
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
