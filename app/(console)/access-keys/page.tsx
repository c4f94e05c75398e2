import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("placeholder"))("accessKeysTitle") };
}

export default async function Page() {
  await requireUser();
  const t = await getTranslations("placeholder");
  return (
    <>
      <PageHeader title={t("accessKeysTitle")} />
      <EmptyState message={t("accessKeysEmpty")} />
    </>
  );
}
