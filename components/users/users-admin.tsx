"use client";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { api, okSchema } from "@/lib/api-client";
import { PASSWORD_MIN } from "@/lib/validation/auth";
import { createUserSchema, userSchema, type User } from "@/lib/validation/users";
import { fieldErrorsOf } from "@/lib/field-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/text-field";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

export function UsersAdmin({ users, currentUserId }: { users: User[]; currentUserId: string }) {
  const t = useTranslations();
  const format = useFormatter();
  const router = useRouter();
  const errorMessage = useApiErrorMessage();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [toRemove, setToRemove] = useState<User | null>(null);

  async function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const parsed = createUserSchema.safeParse({
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      role: String(form.get("role") ?? "user"),
    });
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const user = await api("/api/users", userSchema, { method: "POST", body: parsed.data });
      formEl.reset();
      setMessage({ tone: "success", text: t("users.addedOk", { username: user.username }) });
      router.refresh();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function onRemove() {
    const user = toRemove;
    setToRemove(null);
    if (!user) return;
    try {
      await api(`/api/users/${encodeURIComponent(user.id)}`, okSchema, { method: "DELETE" });
      setMessage({ tone: "success", text: t("users.removed", { username: user.username }) });
      router.refresh();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  return (
    <div className="flex flex-col gap-8">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
        <caption className="sr-only">{t("users.listLabel")}</caption>
        <thead className="bg-slate-100 text-left dark:bg-slate-800">
          <tr>
            <th scope="col" className="px-4 py-2">
              {t("auth.username")}
            </th>
            <th scope="col" className="px-4 py-2">
              {t("users.role")}
            </th>
            <th scope="col" className="px-4 py-2">
              {t("users.created")}
            </th>
            <th scope="col" className="px-4 py-2">
              <span className="sr-only">{t("common.remove")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-t border-slate-200 dark:border-slate-800">
              <td className="px-4 py-2 font-medium">
                {u.username} {u.id === currentUserId ? t("users.you") : null}
              </td>
              <td className="px-4 py-2">{t(`users.roles.${u.role}`)}</td>
              <td className="px-4 py-2">{format.dateTime(new Date(u.createdAt), { dateStyle: "medium" })}</td>
              <td className="px-4 py-2 text-right">
                {u.id !== currentUserId ? (
                  <Button
                    variant="ghost"
                    onClick={() => setToRemove(u)}
                    aria-label={`${t("common.remove")} ${u.username}`}
                  >
                    {t("common.remove")}
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form onSubmit={onAdd} noValidate aria-label={t("users.add")} className="flex max-w-md flex-col gap-4">
        <h2 className="text-lg font-semibold">{t("users.add")}</h2>
        <TextField
          label={t("auth.username")}
          name="username"
          autoComplete="off"
          error={fieldErrors.username}
        />
        <TextField
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t("auth.passwordHint", { min: PASSWORD_MIN })}
          error={fieldErrors.password}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor="new-user-role" className="text-sm font-medium">
            {t("users.role")}
          </label>
          <select
            id="new-user-role"
            name="role"
            defaultValue="user"
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            <option value="user">{t("users.roles.user")}</option>
            <option value="admin">{t("users.roles.admin")}</option>
          </select>
        </div>
        <Button type="submit" disabled={busy}>
          {busy ? t("users.adding") : t("users.add")}
        </Button>
      </form>
      <ConfirmDialog
        open={toRemove !== null}
        title={toRemove ? `${t("common.remove")} ${toRemove.username}` : ""}
        message={toRemove ? t("users.removeConfirm", { username: toRemove.username }) : ""}
        confirmLabel={t("common.remove")}
        danger
        onConfirm={onRemove}
        onCancel={() => setToRemove(null)}
      />
    </div>
  );
}
