import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ObjectBrowser } from "@/components/objects/object-browser";
import { requireUser } from "@/lib/server/auth/current-user";
import { listConnections, pickConnection } from "@/lib/server/connections";
import { bucketNameProblem } from "@/lib/validation/buckets";

type Props = {
  params: Promise<{ bucket: string; prefix?: string[] }>;
  searchParams: Promise<{ connection?: string; filter?: string; cursor?: string }>;
};

/** Next hands route segments over still percent-encoded in some versions; decode exactly once. */
function segment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { bucket, prefix } = await params;
  return { title: [segment(bucket), ...(prefix ?? []).map(segment)].join("/") };
}

export default async function ObjectBrowserPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { bucket: rawBucket, prefix: rawPrefix } = await params;
  const bucket = segment(rawBucket);
  if (bucketNameProblem(bucket)) notFound();
  const parts = (rawPrefix ?? []).map(segment);
  const prefix = parts.length ? `${parts.join("/")}/` : "";
  const query = await searchParams;
  const connections = await listConnections(user);
  const connection = pickConnection(connections, query.connection);
  if (!connection) notFound();
  return (
    <ObjectBrowser
      key={`${connection.id}|${prefix}|${query.filter ?? ""}|${query.cursor ?? ""}`}
      bucket={bucket}
      connectionId={connection.id}
      access={connection.access}
      prefix={prefix}
      filter={query.filter ?? ""}
      startCursor={query.cursor ?? null}
    />
  );
}
