"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { api, okSchema } from "@/lib/api-client";
import { Button } from "@/components/ui/button";

export function UserMenu({ username }: { username: string }) {
  const t = useTranslations("nav");
  const router = useRouter();
  const [busy, setBusy] = useState(false);

  async function signOut() {
    setBusy(true);
    try {
      await api("/api/auth/logout", okSchema, { method: "POST" });
    } catch {
      // Signed out already (expired session): the sign-in page is the right place either way.
    }
    router.replace("/login");
    router.refresh();
  }

  return (
    <div className="flex items-center gap-3 text-sm" aria-label={t("userMenu")} role="group">
      <Link href="/account" className="rounded-md px-2 py-1 hover:bg-slate-200 dark:hover:bg-slate-800">
        <span className="sr-only">{t("signedInAs", { username })}</span>
        <span aria-hidden="true">{username}</span>
      </Link>
      <Button variant="secondary" onClick={signOut} disabled={busy}>
        {t("signOut")}
      </Button>
    </div>
  );
}
