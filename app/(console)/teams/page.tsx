import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TeamsAdmin } from "@/components/teams/teams-admin";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/server/auth/current-user";
import { allTeams } from "@/lib/server/teams";
import { listAllUsers } from "@/lib/server/users";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("teams"))("title") };
}

export default async function TeamsPage() {
  await requireAdmin();
  const t = await getTranslations("teams");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <TeamsAdmin initial={await allTeams()} users={await listAllUsers()} />
    </>
  );
}
