"use client";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { formatScopeLines, parseScopeLines } from "@/lib/access/scope-text";
import { scopeSchema, type Scope } from "@/lib/access/scope";
import { api, okSchema } from "@/lib/api-client";
import {
  directorySchema,
  grantListSchema,
  grantSchema,
  type Directory,
  type Grant,
} from "@/lib/validation/sharing";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { GrantFields, type GrantDraft } from "./grant-fields";

function scopeOf(d: GrantDraft): { ok: true; scope: Scope } | { ok: false; error: string } {
  const parsed = scopeSchema.safeParse(d.everywhere ? "all" : parseScopeLines(d.lines));
  if (parsed.success) return { ok: true, scope: parsed.data };
  const issue = parsed.error.issues[0];
  const line = typeof issue?.path[0] === "number" ? issue.path[0] + 1 : null;
  return { ok: false, error: line ? `${line}: ${issue?.message ?? ""}` : (issue?.message ?? "") };
}

const draftOf = (g?: Grant): GrantDraft =>
  g
    ? { role: g.role, everywhere: g.scope === "all", lines: formatScopeLines(g.scope) }
    : { role: "uploader", everywhere: false, lines: "" };

/**
 * Who an access key is shared with, for its owner and administrators: each share's person or team, role
 * and scope; add, change and stop sharing. People it is shared with never see the secret.
 */
export function SharingSection({
  connectionId,
  name,
  ownerId,
}: {
  connectionId: string;
  name: string;
  ownerId: string;
}) {
  const t = useTranslations("sharing");
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const base = `/api/connections/${encodeURIComponent(connectionId)}/grants`;
  const [open, setOpen] = useState(false);
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [grantee, setGrantee] = useState("");
  const [draft, setDraft] = useState<GrantDraft>(draftOf());
  const [editing, setEditing] = useState<{ id: string; draft: GrantDraft } | null>(null);
  const [scopeError, setScopeError] = useState<string | undefined>();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [toRevoke, setToRevoke] = useState<Grant | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [g, d] = await Promise.all([api(base, grantListSchema), api("/api/directory", directorySchema)]);
      setGrants(g.grants);
      setDirectory(d);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }, [base, errorMessage]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading when the section opens is the point
    if (open && grants === null) void load();
  }, [open, grants, load]);

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const scope = scopeOf(draft);
    if (!scope.ok) return setScopeError(scope.error);
    setScopeError(undefined);
    const [type, gid] = grantee.split(":");
    if (!type || !gid) return setMessage({ tone: "error", text: t("pickGrantee") });
    setBusy(true);
    try {
      const g = await api(base, grantSchema, {
        method: "POST",
        body: { grantee: { type, id: gid }, role: draft.role, scope: scope.scope },
      });
      setGrants((list) => [...(list ?? []), g]);
      setGrantee("");
      setDraft(draftOf());
      setMessage({ tone: "success", text: t("added", { name: g.grantee.name }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function saveEdit(grant: Grant, d: GrantDraft) {
    const scope = scopeOf(d);
    if (!scope.ok) return setScopeError(scope.error);
    setScopeError(undefined);
    try {
      const g = await api(`${base}/${encodeURIComponent(grant.id)}`, grantSchema, {
        method: "PATCH",
        body: { role: d.role, scope: scope.scope },
      });
      setGrants((list) => (list ?? []).map((x) => (x.id === g.id ? g : x)));
      setEditing(null);
      setMessage({ tone: "success", text: t("changed", { name: g.grantee.name }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  async function revoke() {
    const g = toRevoke;
    setToRevoke(null);
    if (!g) return;
    try {
      await api(`${base}/${encodeURIComponent(g.id)}`, okSchema, { method: "DELETE" });
      setGrants((list) => (list ?? []).filter((x) => x.id !== g.id));
      setMessage({ tone: "success", text: t("revoked", { name: g.grantee.name }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  const describe = (s: Scope) => (s === "all" ? t("scopeAll") : formatScopeLines(s).split("\n").join(", "));
  return (
    <section aria-labelledby={`${id}-title`} className="border-t border-slate-200 pt-4 dark:border-slate-800">
      <h4 id={`${id}-title`} className="text-sm font-semibold">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-body`}
          onClick={() => setOpen((o) => !o)}
          aria-label={t("toggleNamed", { name })}
          className="rounded text-left hover:underline"
        >
          {open ? "▾" : "▸"} {t("title")}
          {grants ? ` (${grants.length})` : ""}
        </button>
      </h4>
      {open ? (
        <div id={`${id}-body`} className="mt-3 flex flex-col gap-4">
          <p className="text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
          {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
          {grants === null ? (
            message ? null : (
              <p role="status">{t("loading")}</p>
            )
          ) : grants.length === 0 ? (
            <p className="text-sm">{t("none")}</p>
          ) : (
            <table className="w-full text-sm">
              <caption className="sr-only">{t("listNamed", { name })}</caption>
              <thead className="text-left">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    {t("grantee")}
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    {t("role")}
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    {t("scope")}
                  </th>
                  <th scope="col" className="py-1">
                    <span className="sr-only">{t("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {grants.map((g) =>
                  editing?.id === g.id ? (
                    <tr key={g.id} className="border-t border-slate-200 dark:border-slate-800">
                      <td className="py-2 pr-3 align-top font-medium">{g.grantee.name}</td>
                      <td colSpan={3} className="py-2">
                        <div className="flex flex-col gap-3">
                          <GrantFields
                            draft={editing.draft}
                            onChange={(d) => setEditing({ id: g.id, draft: d })}
                            error={scopeError}
                          />
                          <div className="flex gap-2">
                            <Button onClick={() => void saveEdit(g, editing.draft)}>{t("save")}</Button>
                            <Button variant="ghost" onClick={() => setEditing(null)}>
                              {t("cancel")}
                            </Button>
                          </div>
                        </div>
                      </td>
                    </tr>
                  ) : (
                    <tr key={g.id} className="border-t border-slate-200 dark:border-slate-800">
                      <td className="py-2 pr-3 font-medium">
                        {g.grantee.type === "team"
                          ? t("teamNamed", { name: g.grantee.name })
                          : g.grantee.name}
                      </td>
                      <td className="py-2 pr-3">{t(`roles.${g.role}`)}</td>
                      <td className={`py-2 pr-3 break-all ${g.scope === "all" ? "" : "font-mono text-xs"}`}>
                        {describe(g.scope)}
                      </td>
                      <td className="py-2 text-right whitespace-nowrap">
                        <Button
                          variant="secondary"
                          onClick={() => setEditing({ id: g.id, draft: draftOf(g) })}
                          aria-label={t("changeNamed", { name: g.grantee.name })}
                        >
                          {t("change")}
                        </Button>
                        <Button
                          variant="ghost"
                          onClick={() => setToRevoke(g)}
                          aria-label={t("revokeNamed", { name: g.grantee.name })}
                        >
                          {t("revoke")}
                        </Button>
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          )}
          {directory ? (
            <form
              onSubmit={add}
              aria-label={t("addNamed", { name })}
              className="flex max-w-xl flex-col gap-3"
            >
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-grantee`} className="text-sm font-medium">
                  {t("grantee")}
                </label>
                <select
                  id={`${id}-grantee`}
                  value={grantee}
                  onChange={(e) => setGrantee(e.target.value)}
                  className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
                >
                  <option value="">{t("pickGrantee")}</option>
                  {directory.teams.length > 0 ? (
                    <optgroup label={t("teams")}>
                      {directory.teams.map((x) => (
                        <option key={x.id} value={`team:${x.id}`}>
                          {x.name}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  <optgroup label={t("people")}>
                    {directory.users
                      .filter((x) => x.id !== ownerId)
                      .map((x) => (
                        <option key={x.id} value={`user:${x.id}`}>
                          {x.username}
                        </option>
                      ))}
                  </optgroup>
                </select>
              </div>
              <GrantFields draft={draft} onChange={setDraft} error={editing ? undefined : scopeError} />
              <div>
                <Button type="submit" disabled={busy}>
                  {t("add")}
                </Button>
              </div>
            </form>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={toRevoke !== null}
        title={toRevoke ? t("revokeNamed", { name: toRevoke.grantee.name }) : ""}
        message={toRevoke ? t("revokeConfirm", { name: toRevoke.grantee.name, key: name }) : ""}
        confirmLabel={t("revoke")}
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setToRevoke(null)}
      />
    </section>
  );
}
