"use client";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import type { z } from "zod";
import { api, okSchema } from "@/lib/api-client";
import { sessionListSchema } from "@/lib/validation/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

type Session = z.infer<typeof sessionListSchema>["sessions"][number];

export function SessionsList() {
  const t = useTranslations();
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const errorMessage = useApiErrorMessage();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions((await api("/api/auth/sessions", sessionListSchema)).sessions);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }, [errorMessage]);

  useEffect(() => {
    // Loading on mount is the point of this effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  async function revoke(id: string) {
    try {
      await api(`/api/auth/sessions/${encodeURIComponent(id)}`, okSchema, { method: "DELETE" });
      setMessage({ tone: "success", text: t("account.revoked") });
      await load();
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }

  return (
    <section aria-labelledby="sessions-title" className="flex max-w-2xl flex-col gap-3">
      <h2 id="sessions-title" className="text-lg font-semibold">
        {t("account.sessions")}
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("account.sessionsIntro")}</p>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {sessions === null ? (
        <p role="status">{t("common.loading")}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {sessions.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
              <div>
                <p className="font-medium">
                  {s.userAgent ?? t("account.unknownBrowser")}
                  {s.current ? ` — ${t("account.thisDevice")}` : ""}
                </p>
                <p className="text-slate-600 dark:text-slate-400">
                  {t("account.lastSeen", { time: format.relativeTime(new Date(s.lastSeenAt), now) })} ·{" "}
                  {t("account.expires", {
                    time: format.dateTime(new Date(s.expiresAt), { dateStyle: "medium", timeStyle: "short" }),
                  })}
                </p>
              </div>
              {s.current ? null : (
                <Button variant="secondary" onClick={() => revoke(s.id)}>
                  {t("account.revoke")}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
