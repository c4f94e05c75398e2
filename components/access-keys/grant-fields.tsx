"use client";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { ROLES, type Role } from "@/lib/access/roles";

export interface GrantDraft {
  role: Role;
  everywhere: boolean;
  /** One bucket or folder per line ("ml-data", "ml-data/team-a/"). */
  lines: string;
}

/** Role and scope of a share: used to add one and to change one. */
export function GrantFields({
  draft,
  onChange,
  error,
}: {
  draft: GrantDraft;
  onChange: (d: GrantDraft) => void;
  error?: string;
}) {
  const t = useTranslations("sharing");
  const id = useId();
  return (
    <>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-role`} className="text-sm font-medium">
          {t("role")}
        </label>
        <select
          id={`${id}-role`}
          value={draft.role}
          onChange={(e) => onChange({ ...draft, role: e.target.value as Role })}
          aria-describedby={`${id}-role-hint`}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
        <p id={`${id}-role-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {t(`roleHints.${draft.role}`)}
        </p>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("scope")}</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name={`${id}-scope`}
            checked={draft.everywhere}
            onChange={() => onChange({ ...draft, everywhere: true })}
          />
          {t("scopeAll")}
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name={`${id}-scope`}
            checked={!draft.everywhere}
            onChange={() => onChange({ ...draft, everywhere: false })}
          />
          {t("scopeChosen")}
        </label>
        {draft.everywhere ? null : (
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-lines`} className="text-sm font-medium">
              {t("scopeLines")}
            </label>
            <textarea
              id={`${id}-lines`}
              value={draft.lines}
              rows={3}
              spellCheck={false}
              onChange={(e) => onChange({ ...draft, lines: e.target.value })}
              aria-describedby={`${id}-lines-hint`}
              aria-invalid={error ? true : undefined}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
            />
            <p id={`${id}-lines-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("scopeLinesHint")}
            </p>
          </div>
        )}
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </fieldset>
    </>
  );
}
