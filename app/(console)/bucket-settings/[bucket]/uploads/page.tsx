import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { bucketPageTarget } from "@/lib/server/bucket-page";
import { IncompleteUploads } from "@/components/upload/incomplete-uploads";

type Props = { params: Promise<{ bucket: string }>; searchParams: Promise<{ connection?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { bucket } = await params;
  return {
    title: (await getTranslations("uploads"))("incompleteTitle", { bucket: decodeURIComponent(bucket) }),
  };
}

export default async function IncompleteUploadsPage({ params, searchParams }: Props) {
  const { bucket, connectionId } = await bucketPageTarget(params, searchParams);
  return <IncompleteUploads bucket={bucket} connectionId={connectionId} />;
}
