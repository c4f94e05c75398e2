import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ObjectBrowser } from "@/components/objects/object-browser";
import { requireUser } from "@/lib/server/auth/current-user";
import { listConnections, pickConnection } from "@/lib/server/connections";
import { decodeSegment, pagePrefix } from "@/lib/browser-path";
import { bucketNameProblem } from "@/lib/validation/buckets";

type Props = {
  params: Promise<{ bucket: string; prefix?: string[] }>;
  searchParams: Promise<{ connection?: string; filter?: string; cursor?: string; prefix?: string }>;
};

// Next hands route segments over still percent-encoded; each is decoded exactly once (lib/browser-path.ts),
// and a malformed one is a 404 page, not an error.
const segment = (s: string) => decodeSegment(s) ?? s;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { bucket, prefix } = await params;
  return { title: [segment(bucket), ...(prefix ?? []).map(segment)].join("/") };
}

export default async function ObjectBrowserPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { bucket: rawBucket, prefix: rawPrefix } = await params;
  const bucket = decodeSegment(rawBucket);
  if (bucket === null || bucketNameProblem(bucket)) notFound();
  const query = await searchParams;
  const prefix = pagePrefix(rawPrefix ?? [], query.prefix);
  if (prefix === null) notFound();
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
