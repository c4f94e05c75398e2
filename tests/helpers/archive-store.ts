import http from "node:http";
import type { AddressInfo } from "node:net";

/** The restore state the fake store reports for an archived object (the x-amz-restore header). */
export type RestoreState = "archived" | "in-progress" | "restored";

export interface ArchiveObject {
  key: string;
  size: number;
  storageClass: "STANDARD" | "GLACIER" | "DEEP_ARCHIVE";
  state?: RestoreState;
}

/**
 * A small S3 store for archive tests (Ceph RGW does not archive): it lists and HEADs the objects it is
 * given, with their storage class and restore state, and records each RestoreObject request as it arrived
 * (method, path, headers, body). It ignores signatures. A restore asked for turns an object "in-progress".
 */
export async function archiveStore(objects: ArchiveObject[]) {
  const restores: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const byKey = new Map(objects.map((o) => [o.key, { ...o }]));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const xml = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (url.searchParams.has("location"))
        return xml(200, `<?xml version="1.0"?><LocationConstraint>us-east-1</LocationConstraint>`);
      if (req.method === "GET" && url.pathname === "/")
        return xml(
          200,
          `<?xml version="1.0"?><ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets><Bucket><Name>cold-bucket</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>`,
        );
      if (req.method === "GET" && !key && url.searchParams.get("list-type") === "2") {
        const prefix = url.searchParams.get("prefix") ?? "";
        const delimiter = url.searchParams.get("delimiter");
        const matching = [...byKey.values()].filter((o) => o.key.startsWith(prefix));
        const folders = new Set<string>();
        const files = matching.filter((o) => {
          const restKey = o.key.slice(prefix.length);
          if (delimiter && restKey.includes(delimiter)) {
            folders.add(prefix + restKey.slice(0, restKey.indexOf(delimiter) + 1));
            return false;
          }
          return true;
        });
        return xml(
          200,
          `<?xml version="1.0"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${files.length}</KeyCount><IsTruncated>false</IsTruncated>${files
            .map(
              (o) =>
                `<Contents><Key>${o.key}</Key><Size>${o.size}</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"0"</ETag><StorageClass>${o.storageClass}</StorageClass></Contents>`,
            )
            .join(
              "",
            )}${[...folders].map((f) => `<CommonPrefixes><Prefix>${f}</Prefix></CommonPrefixes>`).join("")}</ListBucketResult>`,
        );
      }
      const o = byKey.get(key);
      if (req.method === "POST" && url.searchParams.has("restore")) {
        restores.push({ path: req.url ?? "", headers: req.headers, body });
        if (!o) return xml(404, `<Error><Code>NoSuchKey</Code></Error>`);
        if (o.storageClass === "STANDARD")
          return xml(403, `<Error><Code>InvalidObjectState</Code><Message>not archived</Message></Error>`);
        if (o.state === "in-progress")
          return xml(409, `<Error><Code>RestoreAlreadyInProgress</Code><Message>already</Message></Error>`);
        o.state = "in-progress";
        res.writeHead(202);
        return res.end();
      }
      if (req.method === "HEAD" && o) {
        const restore =
          o.state === "in-progress"
            ? 'ongoing-request="true"'
            : o.state === "restored"
              ? 'ongoing-request="false", expiry-date="Fri, 25 Dec 2026 00:00:00 GMT"'
              : undefined;
        res.writeHead(200, {
          "content-length": String(o.size),
          "last-modified": "Thu, 01 Jan 2026 00:00:00 GMT",
          etag: '"0"',
          ...(o.storageClass !== "STANDARD" ? { "x-amz-storage-class": o.storageClass } : {}),
          ...(restore ? { "x-amz-restore": restore } : {}),
        });
        return res.end();
      }
      if (req.method === "HEAD") {
        res.writeHead(404);
        return res.end();
      }
      return xml(501, `<Error><Code>NotImplemented</Code></Error>`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    restores,
    set: (key: string, state: RestoreState) => {
      const o = byKey.get(key);
      if (o) o.state = state;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
