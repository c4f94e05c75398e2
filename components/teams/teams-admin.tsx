"use client";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { api, okSchema } from "@/lib/api-client";
import { teamSchema, type Team } from "@/lib/validation/sharing";
import type { User } from "@/lib/validation/users";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

/** A team's name and members, for adding one and changing one. */
function TeamForm({
  users,
  team,
  onSaved,
  onCancel,
}: {
  users: User[];
  team: Team | null;
  onSaved: (t: Team) => void;
  onCancel?: () => void;
}) {
  const t = useTranslations("teams");
  const errorMessage = useApiErrorMessage();
  const id = useId();
  const [name, setName] = useState(team?.name ?? "");
  const [members, setMembers] = useState<Set<string>>(new Set(team?.members.map((m) => m.id) ?? []));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), memberIds: [...members] };
      const saved = team
        ? await api(`/api/teams/${encodeURIComponent(team.id)}`, teamSchema, { method: "PATCH", body })
        : await api("/api/teams", teamSchema, { method: "POST", body });
      onSaved(saved);
      if (!team) {
        setName("");
        setMembers(new Set());
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label={team ? t("editNamed", { name: team.name }) : t("add")}
      className="flex max-w-xl flex-col gap-3"
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-name`} className="text-sm font-medium">
          {t("name")}
        </label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={64}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
        />
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-medium">{t("members")}</legend>
        <div className="flex max-h-48 flex-col gap-1 overflow-auto rounded-md border border-slate-200 p-2 dark:border-slate-700">
          {users.map((u) => (
            <label key={u.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={members.has(u.id)}
                onChange={(e) =>
                  setMembers((s) => {
                    const n = new Set(s);
                    if (e.target.checked) n.add(u.id);
                    else n.delete(u.id);
                    return n;
                  })
                }
              />
              {u.username}
            </label>
          ))}
        </div>
      </fieldset>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={busy}>
          {team ? t("save") : t("add")}
        </Button>
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel}>
            {t("cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * Teams are groups of users an access key can be shared with at once. Administrators keep them; a member
 * added or removed gains or loses what was shared with the team on their next request.
 */
export function TeamsAdmin({ initial, users }: { initial: Team[]; users: User[] }) {
  const t = useTranslations("teams");
  const errorMessage = useApiErrorMessage();
  const [teams, setTeams] = useState(initial);
  const [editing, setEditing] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<Team | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  async function remove() {
    const team = toDelete;
    setToDelete(null);
    if (!team) return;
    try {
      await api(`/api/teams/${encodeURIComponent(team.id)}`, okSchema, { method: "DELETE" });
      setTeams((list) => list.filter((x) => x.id !== team.id));
      setMessage({ tone: "success", text: t("deleted", { name: team.name }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  const sorted = [...teams].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="flex flex-col gap-8">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {teams.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t("empty")}</p>
      ) : (
        <ul aria-label={t("listLabel")} className="flex flex-col gap-3">
          {sorted.map((team) => (
            <li
              key={team.id}
              className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
            >
              {editing === team.id ? (
                <TeamForm
                  users={users}
                  team={team}
                  onCancel={() => setEditing(null)}
                  onSaved={(saved) => {
                    setTeams((list) => list.map((x) => (x.id === saved.id ? saved : x)));
                    setEditing(null);
                    setMessage({ tone: "success", text: t("saved", { name: saved.name }) });
                  }}
                />
              ) : (
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <h2 className="text-base font-semibold">{team.name}</h2>
                    <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                      {team.members.length === 0
                        ? t("noMembers")
                        : team.members.map((m) => m.username).join(", ")}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <Button
                      variant="secondary"
                      onClick={() => setEditing(team.id)}
                      aria-label={t("editNamed", { name: team.name })}
                    >
                      {t("edit")}
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => setToDelete(team)}
                      aria-label={t("deleteNamed", { name: team.name })}
                    >
                      {t("delete")}
                    </Button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">{t("add")}</h2>
        <TeamForm
          users={users}
          team={null}
          onSaved={(team) => {
            setTeams((list) => [...list, team]);
            setMessage({ tone: "success", text: t("added", { name: team.name }) });
          }}
        />
      </section>
      <ConfirmDialog
        open={toDelete !== null}
        title={toDelete ? t("deleteNamed", { name: toDelete.name }) : ""}
        message={toDelete ? t("deleteConfirm", { name: toDelete.name }) : ""}
        confirmLabel={t("delete")}
        danger
        onConfirm={() => void remove()}
        onCancel={() => setToDelete(null)}
      />
    </div>
  );
}
