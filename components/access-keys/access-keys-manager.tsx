"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { api, okSchema } from "@/lib/api-client";
import type { Connection } from "@/lib/validation/connections";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { ConnectionCard } from "./connection-card";
import { ConnectionForm, type Prefill } from "./connection-form";
import { CredentialsDropZone } from "./credentials-drop-zone";

type Editor =
  | { mode: "closed" }
  | { mode: "add"; prefill: Prefill | null; version: number }
  | { mode: "edit"; id: string };

export function AccessKeysManager({ initial }: { initial: Connection[] }) {
  const t = useTranslations("accessKeys");
  const errorMessage = useApiErrorMessage();
  const [connections, setConnections] = useState(initial);
  const [editor, setEditor] = useState<Editor>(
    initial.length === 0 ? { mode: "add", prefill: null, version: 0 } : { mode: "closed" },
  );
  const [toDelete, setToDelete] = useState<Connection | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  function saved(c: Connection) {
    setConnections((list) => {
      const others = list
        .filter((x) => x.id !== c.id)
        .map((x) => (c.isDefault ? { ...x, isDefault: false } : x));
      return [...others, c].sort(
        (a, b) => Number(b.isDefault) - Number(a.isDefault) || a.createdAt.localeCompare(b.createdAt),
      );
    });
    setEditor({ mode: "closed" });
    setMessage({ tone: "success", text: t("saved", { name: c.name }) });
  }

  async function confirmDelete() {
    const c = toDelete;
    setToDelete(null);
    if (!c) return;
    try {
      await api(`/api/connections/${encodeURIComponent(c.id)}`, okSchema, { method: "DELETE" });
      const rest = connections.filter((x) => x.id !== c.id);
      // The server passes "default" on to the oldest remaining connection; show the same.
      if (c.isDefault && rest[0] && !rest.some((x) => x.isDefault)) rest[0] = { ...rest[0], isDefault: true };
      setConnections(rest);
      setMessage({ tone: "success", text: t("deleted", { name: c.name }) });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  const adding = editor.mode === "add";
  return (
    <div className="flex flex-col gap-8">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}

      {connections.length > 0 ? (
        <section aria-labelledby="access-keys-list">
          <h2 id="access-keys-list" className="sr-only">
            {t("listLabel")}
          </h2>
          <ul className="flex flex-col gap-4">
            {connections.map((c) =>
              editor.mode === "edit" && editor.id === c.id ? (
                <li key={c.id} className="rounded-xl border border-brand-500 bg-white p-5 dark:bg-slate-900">
                  <h3 className="mb-4 text-base font-semibold">{t("editTitle", { name: c.name })}</h3>
                  <ConnectionForm
                    connection={c}
                    prefill={null}
                    onSaved={saved}
                    onCancel={() => setEditor({ mode: "closed" })}
                  />
                </li>
              ) : (
                <ConnectionCard
                  key={c.id}
                  connection={c}
                  onEdit={() => setEditor({ mode: "edit", id: c.id })}
                  onDelete={() => setToDelete(c)}
                  onTested={(lastTest) =>
                    setConnections((list) => list.map((x) => (x.id === c.id ? { ...x, lastTest } : x)))
                  }
                />
              ),
            )}
          </ul>
        </section>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t("empty")}</p>
      )}

      {adding ? (
        <section
          aria-labelledby="add-access-key"
          className="flex flex-col gap-6 rounded-xl border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 id="add-access-key" className="text-lg font-semibold">
            {t("addTitle")}
          </h2>
          <details className="text-sm">
            <summary className="cursor-pointer font-medium">{t("whereTitle")}</summary>
            <p className="mt-2 max-w-2xl text-slate-600 dark:text-slate-300">{t("where")}</p>
          </details>
          <CredentialsDropZone
            onRead={(prefill) =>
              setEditor((e) => ({ mode: "add", prefill, version: e.mode === "add" ? e.version + 1 : 0 }))
            }
          />
          <ConnectionForm
            key={editor.version}
            connection={null}
            prefill={editor.prefill}
            onSaved={saved}
            onCancel={connections.length > 0 ? () => setEditor({ mode: "closed" }) : undefined}
          />
        </section>
      ) : (
        <div>
          <Button onClick={() => setEditor({ mode: "add", prefill: null, version: 0 })}>{t("add")}</Button>
        </div>
      )}

      <ConfirmDialog
        open={toDelete !== null}
        title={toDelete ? t("deleteNamed", { name: toDelete.name }) : ""}
        message={toDelete ? t("deleteConfirm", { name: toDelete.name }) : ""}
        confirmLabel={t("delete")}
        danger
        onConfirm={confirmDelete}
        onCancel={() => setToDelete(null)}
      />
    </div>
  );
}
