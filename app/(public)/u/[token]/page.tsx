import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { UploadRequestPage } from "@/components/shares/public/upload-request-page";

export async function generateMetadata(): Promise<Metadata> {
  return {
    title: (await getTranslations("publicUpload"))("pageTitle"),
    robots: { index: false, follow: false },
  };
}

export default async function Page({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <UploadRequestPage token={token} />;
}
