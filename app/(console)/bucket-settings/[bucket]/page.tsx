import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { bucketPageTarget } from "@/lib/server/bucket-page";
import { BucketSettings } from "@/components/buckets/bucket-settings";

type Props = { params: Promise<{ bucket: string }>; searchParams: Promise<{ connection?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { bucket } = await params;
  return { title: (await getTranslations("bucketSettings"))("title", { name: decodeURIComponent(bucket) }) };
}

// A separate path (not /buckets/[bucket]/…) so that no folder name inside a bucket can collide with it.
export default async function BucketSettingsPage({ params, searchParams }: Props) {
  const { bucket, connectionId } = await bucketPageTarget(params, searchParams);
  return <BucketSettings bucket={bucket} connectionId={connectionId} />;
}
