"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export interface SelectionAction {
  label: string;
  onClick: () => void;
  danger?: boolean;
}

/** "Select all", how many are selected, and what can be done with them here. */
export function SelectionBar({
  total,
  count,
  onSelectAll,
  onClear,
  actions,
}: {
  total: number;
  count: number;
  onSelectAll: (all: boolean) => void;
  onClear: () => void;
  actions: SelectionAction[];
}) {
  const t = useTranslations("objects");
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" aria-live="polite">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={total > 0 && count === total}
          onChange={(e) => onSelectAll(e.target.checked)}
        />
        {t("selectAll")}
      </label>
      {count > 0 ? (
        <>
          <span>{t("selected", { count })}</span>
          {actions.map((a) => (
            <Button key={a.label} variant={a.danger ? "danger" : "secondary"} onClick={a.onClick}>
              {a.label}
            </Button>
          ))}
          <Button variant="ghost" onClick={onClear}>
            {t("clearSelection")}
          </Button>
        </>
      ) : null}
    </div>
  );
}
