import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SessionsList } from "@/components/account/sessions-list";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";
import { oidcSettings } from "@/lib/server/auth/oidc-client";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("account"))("title") };
}

export default async function AccountPage() {
  const user = await requireUser();
  const t = await getTranslations("account");
  return (
    <>
      <PageHeader title={t("title")} intro={user.username} />
      <div className="flex flex-col gap-10">
        {user.authSource === "local" ? (
          <ChangePasswordForm />
        ) : (
          <p className="text-sm">{t("ssoPassword", { name: oidcSettings()?.name ?? "" })}</p>
        )}
        <SessionsList />
      </div>
    </>
  );
}
