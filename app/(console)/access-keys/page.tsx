import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AccessKeysManager } from "@/components/access-keys/access-keys-manager";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";
import { listConnections } from "@/lib/server/connections";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("accessKeys"))("title") };
}

export default async function AccessKeysPage() {
  const user = await requireUser();
  const t = await getTranslations("accessKeys");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <AccessKeysManager initial={await listConnections(user)} />
    </>
  );
}
