import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SharesManager } from "@/components/shares/shares-manager";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";
import { listShares } from "@/lib/server/shares/owner";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("shares"))("title") };
}

export default async function SharesPage() {
  const user = await requireUser();
  const t = await getTranslations("shares");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <SharesManager initial={await listShares(user)} />
    </>
  );
}
