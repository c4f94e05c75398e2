import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SharePage } from "@/components/shares/public/share-page";

export async function generateMetadata(): Promise<Metadata> {
  // Shared pages stay out of search engines and never name what they share in the title.
  return {
    title: (await getTranslations("publicShare"))("pageTitle"),
    robots: { index: false, follow: false },
  };
}

export default async function Page({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <SharePage token={token} />;
}
