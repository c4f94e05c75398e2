import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { createTestBucket, directClient, removeTestBucket, testS3 } from "../helpers/s3";

jest.setTimeout(60_000);

// scripts/wan-proxy.mjs, the wide-area link the upload benchmark runs through: it must delay, cap and keep
// every byte in order (a first version reordered bytes due in the same millisecond; the store caught it as
// BadDigest). Lower bounds only: the link may never be faster than configured.

let proxy: ChildProcess;
let endpoint: string;
let bucket: string;
let lines: string[] = [];
let wake: (() => void) | null = null;

async function nextLine(): Promise<string> {
  while (lines.length === 0) await new Promise<void>((r) => (wake = r));
  return lines.shift()!;
}

async function setLink(o: { rttMs?: number; mbit?: number }) {
  proxy.stdin!.write(`${JSON.stringify(o)}\n`);
  expect(await nextLine()).toBe("ok");
}

beforeAll(async () => {
  bucket = await createTestBucket();
  proxy = spawn(
    process.execPath,
    [path.join(process.cwd(), "scripts", "wan-proxy.mjs"), "--target", testS3().endpoint],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let buffered = "";
  proxy.stdout!.on("data", (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    lines.push(...parts);
    wake?.();
  });
  endpoint = (JSON.parse(await nextLine()) as { endpoint: string }).endpoint;
});
afterAll(async () => {
  proxy?.kill("SIGTERM");
  await removeTestBucket(bucket);
  lines = [];
});

const client = () => directClient({ ...testS3(), endpoint });
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("the WAN proxy", () => {
  it("carries 24 MiB both ways byte for byte, in order, under a bandwidth cap", async () => {
    await setLink({ rttMs: 10, mbit: 400 });
    const body = randomBytes(24 * 1024 * 1024);
    const start = Date.now();
    await client().send(new PutObjectCommand({ Bucket: bucket, Key: "through.bin", Body: body }));
    const up = Date.now() - start;
    // 24 MiB at 400 Mbit/s (50 MB/s) takes at least half a second.
    expect(up).toBeGreaterThanOrEqual(480);
    const out = await client().send(new GetObjectCommand({ Bucket: bucket, Key: "through.bin" }));
    expect(sha(await out.Body!.transformToByteArray())).toBe(sha(body));
  });

  it("adds the round trip: a new connection and its first request cost at least two", async () => {
    await setLink({ rttMs: 150, mbit: 0 });
    const start = Date.now();
    const res = await fetch(`${endpoint}/`, { headers: { connection: "close" } });
    await res.text();
    // The handshake's round trip, then the request's.
    expect(Date.now() - start).toBeGreaterThanOrEqual(295);
    await setLink({ rttMs: 0 });
  });
});
