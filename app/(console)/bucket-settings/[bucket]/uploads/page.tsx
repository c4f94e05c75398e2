import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { IncompleteUploads } from "@/components/upload/incomplete-uploads";
import { requireUser } from "@/lib/server/auth/current-user";
import { listConnections } from "@/lib/server/connections";
import { bucketNameProblem } from "@/lib/validation/buckets";

type Props = { params: Promise<{ bucket: string }>; searchParams: Promise<{ connection?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { bucket } = await params;
  return {
    title: (await getTranslations("uploads"))("incompleteTitle", { bucket: decodeURIComponent(bucket) }),
  };
}

export default async function IncompleteUploadsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const bucket = decodeURIComponent((await params).bucket);
  if (bucketNameProblem(bucket)) notFound();
  const connections = await listConnections(user);
  const wanted = (await searchParams).connection;
  const connection = connections.find((c) => c.id === wanted) ?? connections.find((c) => c.isDefault);
  if (!connection) notFound();
  return <IncompleteUploads bucket={bucket} connectionId={connection.id} />;
}
