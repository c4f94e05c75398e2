import http from "node:http";
import type net from "node:net";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { adminClient } from "../helpers/api-client";
import { createTestBucket, directClient, removeTestBucket, testS3 } from "../helpers/s3";

jest.setTimeout(120_000);

// A store without ListObjectsV2 (as OBS parallel-file-system buckets are): an HTTP proxy in front of the real
// RGW answers 501 NotImplemented to every v2 listing and passes everything else through.
async function storeWithoutV2(target: string) {
  const { hostname, port } = new URL(target);
  let v1Calls = 0;
  const server = http.createServer((req, res) => {
    if (/[?&]list-type=2(&|$)/.test(req.url ?? "")) {
      res.writeHead(501, { "content-type": "application/xml" });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>ListObjectsV2 is not supported</Message></Error>',
      );
      return;
    }
    if (req.method === "GET" && /[?&]delimiter=/.test(req.url ?? "")) v1Calls++;
    const upstream = http.request(
      { hostname, port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    v1Calls: () => v1Calls,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe("listing a store that does not offer ListObjectsV2", () => {
  it("falls back to ListObjects v1 with markers and still returns every key once, in order", async () => {
    const bucket = await createTestBucket();
    const store = await storeWithoutV2(testS3().endpoint);
    try {
      const keys = Array.from({ length: 2500 }, (_, i) => `pfs/${String(i).padStart(5, "0")}.txt`);
      const s3 = directClient();
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < keys.length)
            await s3.send(
              new PutObjectCommand({ Bucket: bucket, Key: keys[next++]!, Body: Buffer.from("x") }),
            );
        }),
      );
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "pfs/sub/inner.txt", Body: Buffer.from("x") }),
      );

      const admin = await adminClient();
      const s = testS3();
      const conn = await admin.post<{ id: string }>("/api/connections", {
        name: "pfs",
        provider: "s3",
        region: s.region,
        endpoint: store.endpoint,
        addressing: "path",
        accessKeyId: s.accessKeyId,
        secretAccessKey: s.secretAccessKey,
      });
      const seen: string[] = [];
      const folders: string[] = [];
      let cursor: string | null = null;
      do {
        const r: {
          status: number;
          body: { objects: { key: string }[]; folders: { prefix: string }[]; nextCursor: string | null };
        } = await admin.get(
          `/api/buckets/${bucket}/objects?connection=${conn.body.id}&prefix=pfs/&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        expect(r.status).toBe(200);
        seen.push(...r.body.objects.map((o) => o.key));
        folders.push(...r.body.folders.map((f) => f.prefix));
        cursor = r.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(keys);
      expect(folders).toEqual(["pfs/sub/"]);
      expect(store.v1Calls()).toBeGreaterThanOrEqual(3);
    } finally {
      await store.close();
      await removeTestBucket(bucket);
    }
  });
});
