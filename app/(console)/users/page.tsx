import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/page-header";
import { UsersAdmin } from "@/components/users/users-admin";
import { requireAdmin } from "@/lib/server/auth/current-user";
import { listAllUsers } from "@/lib/server/users";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("users"))("title") };
}

export default async function UsersPage() {
  const admin = await requireAdmin();
  const t = await getTranslations("users");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <UsersAdmin users={await listAllUsers()} currentUserId={admin.userId} />
    </>
  );
}
