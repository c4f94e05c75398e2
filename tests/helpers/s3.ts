import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

export interface TestS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  port: number;
}

/** The real S3 server of this test run (Ceph RGW started by scripts/test.mjs, or S3_TEST_* of your own). */
export function testS3(): TestS3 {
  const endpoint = process.env.S3_TEST_ENDPOINT;
  const accessKeyId = process.env.S3_TEST_ACCESS_KEY_ID;
  const secretAccessKey = process.env.S3_TEST_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    throw new Error(
      "No S3 server: run these tests through `npm test` (it starts Ceph RGW), or set S3_TEST_ENDPOINT, S3_TEST_ACCESS_KEY_ID and S3_TEST_SECRET_ACCESS_KEY.",
    );
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    region: process.env.S3_TEST_REGION ?? "us-east-1",
    port: Number(new URL(endpoint).port || 80),
  };
}

/** A direct client for seeding and reading back the store in tests (never used to stand in for our code). */
export function directClient(s3 = testS3()): S3Client {
  return new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

let counter = 0;
export function uniqueBucketName(prefix = "t"): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`.toLowerCase();
}

export async function createTestBucket(name = uniqueBucketName()): Promise<string> {
  await directClient().send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export async function listKeys(bucket: string, prefix = ""): Promise<string[]> {
  const out = await directClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? "");
}

/** Deletes every object (page after page) and then the bucket. */
export async function removeTestBucket(bucket: string): Promise<void> {
  const c = directClient();
  for (;;) {
    const keys = await listKeys(bucket);
    if (keys.length === 0) break;
    await c.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
  }
  await c.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** A loopback TCP server that accepts connections and never answers: a store that hangs. */
export async function blackHole(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A loopback port with nothing listening on it: connections are refused at once. */
export async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/**
 * A second account on the test RGW (a "someone else" who can own a bucket name), made with radosgw-admin.
 * Needs the server this run started (S3_TEST_DIR, set by scripts/test.mjs).
 */
export function createRgwUser(uid: string, opts: { maxBuckets?: number } = {}): TestS3 {
  const dir = process.env.S3_TEST_DIR;
  if (!dir) throw new Error("S3_TEST_DIR is not set: this test needs the RGW that scripts/test.mjs starts.");
  const accessKeyId = `OBMU${randomBytes(8).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString("base64url");
  const args = ["-c", path.join(dir, "ceph.conf"), "user", "create", "--uid", uid, "--display-name", uid];
  args.push("--access-key", accessKeyId, "--secret-key", secretAccessKey);
  if (opts.maxBuckets !== undefined) args.push("--max-buckets", String(opts.maxBuckets));
  const r = spawnSync("radosgw-admin", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`radosgw-admin user create failed: ${r.stderr}`);
  return { ...testS3(), accessKeyId, secretAccessKey };
}

/** Puts every [key, body] pair, `concurrency` requests in flight: seeding that does not take the test's time. */
export async function seedObjects(
  bucket: string,
  entries: [string, string | Uint8Array][],
  concurrency = 64,
): Promise<void> {
  const s3 = directClient();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < entries.length) {
        const [Key, Body] = entries[next++]!;
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: typeof Body === "string" ? Buffer.from(Body) : Body,
          }),
        );
      }
    }),
  );
}
