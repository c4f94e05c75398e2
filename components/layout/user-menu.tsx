"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { z } from "zod";
import { api } from "@/lib/api-client";
import { PROVIDER_SIGN_OUT_KEY } from "@/components/auth/login-form";
import { forgetUploadsOf } from "@/lib/upload/resume-store";

const logoutSchema = z.object({ ok: z.literal(true), providerSignOut: z.url().optional() });
import { Button } from "@/components/ui/button";

export function UserMenu({ username, userId }: { username: string; userId: string }) {
  const t = useTranslations("nav");
  const router = useRouter();
  const [busy, setBusy] = useState(false);

  async function signOut() {
    setBusy(true);
    let signedOut = false;
    // This browser forgets the user's unfinished uploads: the next person here must not see or resume them.
    await forgetUploadsOf(userId).catch(() => undefined);
    try {
      const r = await api("/api/auth/logout", logoutSchema, { method: "POST" });
      // The provider's sign-out is offered on the sign-in page: signing out here ends only this console.
      if (r.providerSignOut) sessionStorage.setItem(PROVIDER_SIGN_OUT_KEY, r.providerSignOut);
      signedOut = true;
    } catch {
      // Signed out already (expired session): the sign-in page is the right place either way.
    }
    router.replace(signedOut ? "/login?signedOut=1" : "/login");
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
