import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BucketsManager } from "@/components/buckets/buckets-manager";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";
import { listConnections } from "@/lib/server/connections";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("buckets"))("title") };
}

export default async function BucketsPage() {
  const user = await requireUser();
  const t = await getTranslations("buckets");
  const connections = await listConnections(user);
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      {connections.length === 0 ? (
        <EmptyState message={t("noConnection")} action={{ href: "/access-keys", label: t("addKey") }} />
      ) : (
        <BucketsManager connections={connections} />
      )}
    </>
  );
}
