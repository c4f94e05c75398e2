import "server-only";
import { notFound } from "next/navigation";
import { decodeSegment } from "@/lib/browser-path";
import { bucketNameProblem } from "@/lib/validation/buckets";
import { requireUser } from "./auth/current-user";
import { listConnections, pickConnection } from "./connections";

/**
 * What a page about one bucket needs from its URL: the bucket name (404 when it cannot be a bucket) and the
 * connection from `?connection=` (else the default; 404 when the user has none).
 */
export async function bucketPageTarget(
  params: Promise<{ bucket: string }>,
  searchParams: Promise<{ connection?: string }>,
): Promise<{ bucket: string; connectionId: string }> {
  const user = await requireUser();
  const bucket = decodeSegment((await params).bucket);
  if (bucket === null || bucketNameProblem(bucket)) notFound();
  const connections = await listConnections(user);
  const wanted = (await searchParams).connection;
  const connection = pickConnection(connections, wanted);
  if (!connection) notFound();
  return { bucket, connectionId: connection.id };
}
