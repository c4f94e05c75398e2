"use client";
import { useTranslations } from "next-intl";
import { useId } from "react";
import type { Connection } from "@/lib/validation/connections";

/** Picks one of the user's connections; renders nothing when there is only one to pick. */
export function ConnectionSelect({
  connections,
  value,
  onChange,
  label,
}: {
  connections: Connection[];
  value: string;
  onChange: (id: string) => void;
  label: string;
}) {
  const id = useId();
  const t = useTranslations("accessKeys");
  if (connections.length < 2) return null;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
      >
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.access.relation === "grantee"
              ? t("nameSharedBy", { name: c.name, owner: c.owner.username })
              : c.name}
          </option>
        ))}
      </select>
    </div>
  );
}
