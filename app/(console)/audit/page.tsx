import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";
import { directory } from "@/lib/server/teams";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("audit"))("title") };
}

export default async function AuditPage() {
  const user = await requireUser();
  const t = await getTranslations("audit");
  return (
    <>
      <PageHeader title={t("title")} intro={user.role === "admin" ? t("introAdmin") : t("introOwner")} />
      <AuditLog users={(await directory()).users} />
    </>
  );
}
