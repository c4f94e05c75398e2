import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GettingStarted } from "@/components/home/getting-started";
import { requireUser } from "@/lib/server/auth/current-user";
import { gettingStartedSteps, PATH_COPIED_COOKIE } from "@/lib/server/getting-started";
import { cookies } from "next/headers";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("home"))("title") };
}

export default async function HomePage() {
  const user = await requireUser();
  const pathCopied = (await cookies()).get(PATH_COPIED_COOKIE)?.value === "1";
  return <GettingStarted steps={await gettingStartedSteps(user, { pathCopied })} />;
}
