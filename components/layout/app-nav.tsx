"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const items = [
  { href: "/", key: "home" },
  { href: "/buckets", key: "buckets" },
  { href: "/access-keys", key: "accessKeys" },
  { href: "/links", key: "links" },
  { href: "/shares", key: "shares" },
  { href: "/audit", key: "audit" },
] as const;

export function AppNav({ isAdmin }: { isAdmin: boolean }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const all = isAdmin
    ? [...items, { href: "/users", key: "users" } as const, { href: "/teams", key: "teams" } as const]
    : items;
  return (
    <nav aria-label={t("label")}>
      <ul className="flex gap-1 md:flex-col">
        {all.map((item) => {
          const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-medium ${
                  active
                    ? "bg-brand-100 text-brand-700 dark:bg-slate-800 dark:text-white"
                    : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                {t(item.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
