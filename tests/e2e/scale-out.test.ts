import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freePort, startApp, type AppServer } from "../helpers/app-server";
import { HttpClient } from "../helpers/http-client";
import { roundRobin, type LoadBalancer } from "../helpers/lb-proxy";
import { createTestDatabase } from "../helpers/pg";
import { createTestBucket, directClient, removeTestBucket, testS3 } from "../helpers/s3";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { withAppCorsRule } from "@/lib/bucket-rules";

jest.setTimeout(240_000);

// Two instances of the production server on one real PostgreSQL database behind a round-robin load balancer
// with no sticky sessions: whatever one instance knows, the other knows too, and stopping one loses nothing.

const ADMIN = { username: "admin", password: "a long enough passphrase" };
const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");

let databaseUrl: string;
let masterKey: string;
let instances: AppServer[] = [];
let lb: LoadBalancer;
let bucket: string;

async function instance(lbOrigin: string, extra: Record<string, string> = {}) {
  return startApp({
    DATABASE_URL: databaseUrl,
    APP_MASTER_KEY: masterKey,
    APP_ORIGIN: lbOrigin,
    TRUST_PROXY: "true",
    LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
    SHUTDOWN_GRACE_SECONDS: "10",
    ...extra,
  });
}

beforeAll(async () => {
  const cluster = process.env.PG_CLUSTER_URL;
  if (!cluster) throw new Error("PG_CLUSTER_URL is not set: run through npm test (scripts/test.mjs)");
  databaseUrl = createTestDatabase(cluster);
  masterKey = randomBytes(32).toString("base64");
  const lbPort = await freePort();
  const origin = `http://127.0.0.1:${lbPort}`;
  // One at a time: the first migrates, the second finds the schema current (both take the migration lock).
  instances = [await instance(origin), await instance(origin)];
  lb = await roundRobin(
    instances.map((i) => i.url),
    lbPort,
  );
  bucket = await createTestBucket();
});

afterAll(async () => {
  await lb?.close();
  for (const i of instances) await i.stop();
  if (bucket) await removeTestBucket(bucket);
});

describe("two instances on one PostgreSQL database, behind a round-robin balancer", () => {
  const client = () => new HttpClient(lb.url);

  it("refuses to start an instance with another master key, even before any secret is stored", async () => {
    const other = startApp({
      DATABASE_URL: databaseUrl,
      APP_MASTER_KEY: randomBytes(32).toString("base64"),
    });
    await expect(other).rejects.toThrow(/Every instance on one database needs the same key/);
  });

  it("signs in on one instance and carries on on the other", async () => {
    const c = client();
    expect((await c.post("/api/auth/setup", ADMIN, 0)).status).toBe(201);
    const onOther = await c.get<{ authenticated: boolean; user: { username: string } }>(
      "/api/auth/session",
      1,
    );
    expect(onOther.headers.get("x-test-served-by")).toBe("1");
    expect(onOther.body).toMatchObject({ authenticated: true, user: { username: ADMIN.username } });

    // A connection saved through one instance opens (its secret unsealed) on the other: one shared key.
    const s3 = testS3();
    const saved = await c.post<{ id: string }>(
      "/api/connections",
      {
        name: "rgw",
        provider: "s3",
        region: s3.region,
        endpoint: s3.endpoint,
        addressing: "path",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
      1,
    );
    expect(saved.status).toBe(201);
    const tested = await c.post<{ ok: boolean }>(`/api/connections/${saved.body.id}/test`, {}, 0);
    expect(tested.body.ok).toBe(true);
  });

  it("counts failed sign-ins across both instances", async () => {
    const admin = client();
    await admin.post("/api/auth/login", ADMIN);
    expect(
      (await admin.post("/api/users", { username: "bob", password: "bob's long password" })).status,
    ).toBe(201);
    const tries: number[] = [];
    for (const on of [0, 1, 0]) {
      tries.push(
        (await client().post("/api/auth/login", { username: "bob", password: "wrong guess" }, on)).status,
      );
    }
    const locked = await client().post(
      "/api/auth/login",
      { username: "bob", password: "bob's long password" },
      1,
    );
    expect([...tries, locked.status]).toEqual([401, 401, 401, 429]);
  });

  it("completes on one instance a multipart upload planned on the other", async () => {
    const c = client();
    await c.post("/api/auth/login", ADMIN);
    const conns = await c.get<{ connections: { id: string }[] }>("/api/connections");
    const conn = conns.body.connections[0]!.id;
    const api = (path: string) => `/api/buckets/${bucket}/uploads${path}?connection=${conn}`;
    // The bucket lets the app's origin (the balancer's) upload, set through one instance.
    const cors = await c.request("PUT", `/api/buckets/${bucket}/cors?connection=${conn}`, {
      rules: withAppCorsRule([], lb.url),
    });
    expect(cors.status).toBe(200);
    const body = randomBytes(17 * MiB);
    const plan = await c.post<{
      uploads: { kind: string; key: string; uploadId: string; partSize: number; partCount: number }[];
    }>(api(""), { files: [{ key: "shared/model.bin", size: body.length }] }, 0);
    expect(plan.status).toBe(201);
    const up = plan.body.uploads[0]!;
    expect(up.kind).toBe("multipart");
    const signed = await c.post<{ urls: Record<string, string> }>(
      api(`/${encodeURIComponent(up.uploadId)}/parts`),
      { key: up.key, partNumbers: Array.from({ length: up.partCount }, (_, i) => i + 1) },
      1,
    );
    const parts = Array.from({ length: up.partCount }, (_, i) =>
      body.subarray(i * up.partSize, (i + 1) * up.partSize),
    );
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const r = await fetch(signed.body.urls[String(i + 1)]!, {
        method: "PUT",
        body: new Uint8Array(part),
        headers: { "content-md5": md5(part) },
      });
      expect(r.status).toBe(200);
      etags.push(r.headers.get("etag")!);
    }
    const done = await c.post(
      api(`/${encodeURIComponent(up.uploadId)}/complete`),
      { key: up.key, parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })) },
      1,
    );
    expect(done.status).toBe(200);
    const stored = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: up.key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it("refuses on one instance a session ended on the other", async () => {
    const c = client();
    await c.post("/api/auth/login", ADMIN, 0);
    const cookie = c.cookie;
    expect((await c.get("/api/connections", 1)).status).toBe(200);
    expect((await c.post("/api/auth/logout", {}, 0)).status).toBe(200);
    c.cookie = cookie; // a copy of the old cookie, replayed
    expect((await c.get("/api/connections", 1)).status).toBe(401);
    expect((await c.get("/api/connections", 0)).status).toBe(401);
  });

  it("finishes what it was doing and loses no request while one instance stops mid-run", async () => {
    const c = client();
    await c.post("/api/auth/login", ADMIN);
    // A store that answers after 6 s, so a request is still in flight when the instance gets SIGTERM.
    const slow = await slowStore(testS3().endpoint, 6000);
    try {
      const s3 = testS3();
      const saved = await c.post<{ id: string }>("/api/connections", {
        name: "slow",
        provider: "s3",
        region: s3.region,
        endpoint: slow.url,
        addressing: "path",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      expect(saved.status).toBe(201);
      const inFlight = c.get<{ buckets: { name: string }[] }>(`/api/buckets?connection=${saved.body.id}`, 1);
      // SIGTERM only once the store holds that request (the instance is then waiting on it).
      const deadline = Date.now() + 30_000;
      while (slow.holding() === 0) {
        if (Date.now() > deadline)
          throw new Error(`the slow store never got the bucket list: ${slow.seen()}`);
        await new Promise((r) => setTimeout(r, 20));
      }

      const statuses: number[] = [];
      const servedBefore = lb.served.length;
      let stopped: Promise<void> | undefined;
      // Four callers in a loop, 300 requests in all; after 20 the second instance gets SIGTERM.
      let sent = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (sent < 300) {
            sent++;
            if (sent === 20) stopped = instances[1]!.stop(20_000);
            statuses.push((await c.get("/api/connections")).status);
          }
        }),
      );
      // Who answered the 300 (the slow request, pinned to the stopping instance, is answered after them).
      const served = lb.served.slice(servedBefore);
      const slowAnswer = await inFlight;
      await stopped;
      expect(slowAnswer.status).toBe(200);
      expect(slowAnswer.body.buckets.map((b) => b.name)).toContain(bucket);
      expect(statuses.length).toBe(300);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(served.filter((i) => i === 1).length).toBeGreaterThan(0); // it served before it stopped
      expect(served.slice(-50).every((i) => i === 0)).toBe(true); // and only the other one at the end
      expect(instances[1]!.output()).toMatch(/SIGTERM: finishing [1-9]\d* request\(s\) in flight/);
      expect(instances[1]!.output()).toMatch(/stopped: database closed/);
    } finally {
      await slow.close();
    }
  });
});

/** An HTTP pass-through to the S3 server that holds the bucket list (GET /?x-id=ListBuckets) for `delayMs` first. */
async function slowStore(target: string, delayMs: number) {
  const { hostname, port } = new URL(target);
  let holding = 0;
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const delay = new URL(req.url ?? "/", "http://store").pathname === "/" ? delayMs : 0;
    if (delay) holding++;
    setTimeout(() => {
      if (delay) holding--;
      const up = http.request(
        { host: hostname, port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on("error", () => res.destroy());
      req.pipe(up);
    }, delay);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding: () => holding,
    seen: () => seen.join(", ") || "no request",
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}
