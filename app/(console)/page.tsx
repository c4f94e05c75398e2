import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GettingStarted } from "@/components/home/getting-started";
import { requireUser } from "@/lib/server/auth/current-user";
import { gettingStartedSteps } from "@/lib/server/getting-started";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("home"))("title") };
}

export default async function HomePage() {
  const user = await requireUser();
  return <GettingStarted steps={await gettingStartedSteps(user)} />;
}
