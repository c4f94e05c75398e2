import http from "node:http";
import type { AddressInfo } from "node:net";

/** How the store misbehaves. */
export type HostileMode =
  | "endless-listing" // every listing says "more", with the same keys again, or ever-moving part markers
  | "huge" // every answer is 200 MB
  | "trickle" // one byte at a time, slowly, for ever
  | "many-buckets"; // 100,000 buckets, and counts the region lookups

/**
 * A small HTTP server that answers like an S3 store, badly on purpose: what any signed-in user could point
 * a connection at. It ignores signatures. It counts requests and the connections open at once.
 */
export async function hostileStore(mode: HostileMode, opts: { trickleMs?: number } = {}) {
  const counts = { requests: 0, locationLookups: 0, listParts: 0, listObjects: 0, open: 0, maxOpen: 0 };
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    counts.requests++;
    counts.open++;
    counts.maxOpen = Math.max(counts.maxOpen, counts.open);
    res.on("close", () => counts.open--);
    const url = new URL(req.url ?? "/", "http://x");
    const xml = (body: string) => {
      res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (mode === "huge") {
      const size = 200 * 1024 * 1024;
      res.writeHead(200, {
        "content-type": "application/xml",
        ...(url.searchParams.has("list-type") ? {} : { "content-length": size }),
      });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (sent = size));
      return pump();
    }
    if (mode === "trickle") {
      res.writeHead(200, { "content-type": "application/xml" });
      const timer = setInterval(() => res.write(" "), opts.trickleMs ?? 500);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (mode === "many-buckets") {
      if (url.searchParams.has("location")) {
        counts.locationLookups++;
        return xml(`<?xml version="1.0"?><LocationConstraint>us-east-1</LocationConstraint>`);
      }
      if (url.pathname === "/") {
        let body = `<?xml version="1.0"?><ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>`;
        for (let i = 0; i < 100_000; i++) {
          body += `<Bucket><Name>b-${String(i).padStart(6, "0")}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>`;
        }
        return xml(`${body}</Buckets></ListAllMyBucketsResult>`);
      }
    }
    if (mode === "endless-listing") {
      if (url.searchParams.has("uploadId") && req.method === "GET") {
        counts.listParts++;
        const marker = Number(url.searchParams.get("part-number-marker") ?? "0");
        let parts = "";
        for (let i = 1; i <= 1000; i++) {
          parts += `<Part><PartNumber>${marker + i}</PartNumber><ETag>"e${marker + i}"</ETag><Size>5242880</Size></Part>`;
        }
        return xml(
          `<?xml version="1.0"?><ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><IsTruncated>true</IsTruncated><NextPartNumberMarker>${marker + 1000}</NextPartNumberMarker>${parts}</ListPartsResult>`,
        );
      }
      if (url.searchParams.get("list-type") === "2") {
        counts.listObjects++;
        let contents = "";
        for (let i = 0; i < 1000; i++) {
          contents += `<Contents><Key>data/k${String(i).padStart(4, "0")}</Key><Size>1</Size><ETag>"x"</ETag></Contents>`;
        }
        return xml(
          `<?xml version="1.0"?><ListBucketResult><Name>b</Name><Prefix>data/</Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>t${counts.listObjects}</NextContinuationToken>${contents}</ListBucketResult>`,
        );
      }
      if (req.method === "HEAD") {
        res.writeHead(200, { "content-length": 1, etag: '"x"' });
        return res.end();
      }
    }
    res.writeHead(404, { "content-type": "application/xml" });
    res.end(`<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>`);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
