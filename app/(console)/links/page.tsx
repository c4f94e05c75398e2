import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LinksManager } from "@/components/links/links-manager";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";
import { listConnections } from "@/lib/server/connections";
import { listLinks } from "@/lib/server/links";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("links"))("title") };
}

export default async function LinksPage() {
  const user = await requireUser();
  const t = await getTranslations("links");
  const connections = await listConnections(user);
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      {connections.length === 0 ? (
        <EmptyState message={t("noConnection")} action={{ href: "/access-keys", label: t("addKey") }} />
      ) : (
        <LinksManager connections={connections} initial={await listLinks(user)} />
      )}
    </>
  );
}
