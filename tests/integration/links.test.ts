import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import Papa from "papaparse";
import { addRgwConnection, adminClient, TestClient, userClient } from "../helpers/api-client";
import { createTestBucket, directClient, removeTestBucket, testS3 } from "../helpers/s3";

jest.setTimeout(180_000);

interface Signed {
  key: string;
  url: string;
  expiresAt: string;
}
interface Result {
  link: { id: string; expiresAt: string; cappedByToken: boolean; key: string | null; prefix: string | null };
  links: Signed[];
  truncated: boolean;
}
type Err = { error: { code: string; message: string } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("presigned links against Ceph RGW", () => {
  let admin: TestClient;
  let conn: string;
  let bucket: string;

  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    bucket = await createTestBucket();
  });
  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  const presign = (body: object) =>
    admin.post<Result>(`/api/buckets/${bucket}/presign?connection=${conn}`, body);

  it("a GET link returns the exact bytes with the file name, Chinese included", async () => {
    const key = "报告/模型 结果 v2.txt";
    const bytes = Buffer.from("训练结果 accuracy=0.97\n".repeat(100));
    await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    const r = await presign({ key, method: "GET", expiresIn: 3600 });
    expect(r.status).toBe(201);
    expect(r.body.links).toHaveLength(1);
    const res = await fetch(r.body.links[0]!.url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const cd = res.headers.get("content-disposition") ?? "";
    expect(cd).toMatch(/^attachment; /);
    const star = /filename\*=UTF-8''([^;]+)/.exec(cd)?.[1] ?? "";
    expect(decodeURIComponent(star)).toBe("模型 结果 v2.txt");
    expect(Date.parse(r.body.link.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    // Shown again: the same URL (re-signed from the stored signing time), never stored itself.
    const again = await admin.get<Result>(`/api/links/${r.body.link.id}`);
    expect(again.body.links[0]!.url).toBe(r.body.links[0]!.url);
    const { db } = await import("@/lib/server/db");
    const rows = await (await db()).selectFrom("links").selectAll().execute();
    expect(JSON.stringify(rows)).not.toMatch(/Signature|X-Amz/i);
  });

  it("a PUT link uploads an object that reads back equal", async () => {
    const r = await presign({
      key: "incoming/data.bin",
      method: "PUT",
      expiresIn: 900,
      contentType: "application/octet-stream",
    });
    expect(r.status).toBe(201);
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const put = await fetch(r.body.links[0]!.url, {
      method: "PUT",
      body,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(200);
    const got = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: "incoming/data.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    // The content type is part of the signature: another one is refused.
    const wrongType = await fetch(r.body.links[0]!.url, {
      method: "PUT",
      body,
      headers: { "content-type": "text/plain" },
    });
    expect(wrongType.status).toBe(403);
  });

  it("the store refuses a tampered link (key or signature changed)", async () => {
    await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: "a.txt", Body: "a" }));
    await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: "b.txt", Body: "b" }));
    const url = (await presign({ key: "a.txt", method: "GET", expiresIn: 600 })).body.links[0]!.url;
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.replace("/a.txt?", "/b.txt?"))).status).toBe(403);
    const sig = /X-Amz-Signature=([0-9a-f]+)/.exec(url)![1]!;
    const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
    expect((await fetch(url.replace(sig, flipped))).status).toBe(403);
  });

  it("a 2-second link fails after 3 seconds", async () => {
    const url = (await presign({ key: "a.txt", method: "GET", expiresIn: 2 })).body.links[0]!.url;
    await sleep(3000);
    expect((await fetch(url)).status).toBe(403);
  });

  it("refuses 7 days + 1 second with the reason, and a key that does not exist", async () => {
    const r = await admin.post<Err>(`/api/buckets/${bucket}/presign?connection=${conn}`, {
      key: "a.txt",
      method: "GET",
      expiresIn: 7 * 24 * 3600 + 1,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe(
      "expiresIn: must be at most 604800 seconds (7 days): S3 signatures (SigV4) cannot last longer",
    );
    const missing = await admin.post<Err>(`/api/buckets/${bucket}/presign?connection=${conn}`, {
      key: "nope.txt",
      method: "GET",
      expiresIn: 60,
    });
    expect(missing.status).toBe(404);
    const both = await admin.post<Err>(`/api/buckets/${bucket}/presign?connection=${conn}`, {
      method: "PUT",
      prefix: "x/",
      expiresIn: 60,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe("prefix: upload (PUT) links are for one key, not a folder");
  });

  it("a folder of 5,000 objects gives 5,000 working links in the CSV, and a list and a curl script", async () => {
    const s3 = directClient();
    const keys = Array.from(
      { length: 5000 },
      (_, i) => `dataset/part-${String(i).padStart(4, "0")}/img ${i}.jpg`,
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < keys.length) {
          const key = keys[next++]!;
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
        }
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "dataset-old/outside.txt", Body: "x" }));
    const r = await presign({ prefix: "dataset/", method: "GET", expiresIn: 3600 });
    expect(r.status).toBe(201);
    expect(r.body.links).toHaveLength(1000);
    expect(r.body.truncated).toBe(true);

    const csv = await admin.get<string>(`/api/links/${r.body.link.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = Papa.parse<{ key: string; url: string; expires_at: string }>(csv.body, {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(5000);
    expect(new Set(rows.map((x) => x.key))).toEqual(new Set(keys));
    let i = 0;
    let ok = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (i < rows.length) {
          const row = rows[i++]!;
          const res = await fetch(row.url);
          if (res.status === 200 && (await res.text()) === row.key) ok++;
        }
      }),
    );
    expect(ok).toBe(5000);

    const txt = await admin.get<string>(`/api/links/${r.body.link.id}/export?format=txt`);
    expect(txt.body.trim().split("\n")).toHaveLength(5000);
    const sh = await admin.get<string>(`/api/links/${r.body.link.id}/export?format=sh`);
    expect(sh.body.startsWith("#!/bin/sh")).toBe(true);
    expect(sh.body).toContain("curl -fsS --path-as-is -o './part-0007/img 7.jpg' 'http");
    expect(sh.body).not.toContain("outside.txt");
  });

  it("caps a link made with temporary credentials at the token's expiry", async () => {
    const s3 = testS3();
    const tokenExpires = new Date(Date.now() + 10 * 60 * 1000);
    const temp = await admin.post<{ id: string }>("/api/connections", {
      name: "temporary",
      provider: "s3",
      region: s3.region,
      endpoint: s3.endpoint,
      addressing: "path",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      sessionToken: "a-temporary-token",
      sessionTokenExpiresAt: tokenExpires.toISOString(),
    });
    const r = await admin.post<Result>(`/api/buckets/${bucket}/presign?connection=${temp.body.id}`, {
      key: "incoming/x",
      method: "PUT",
      expiresIn: 3600,
    });
    expect(r.status).toBe(201);
    expect(r.body.link.cappedByToken).toBe(true);
    expect(Math.abs(Date.parse(r.body.link.expiresAt) - tokenExpires.getTime())).toBeLessThan(2000);
    expect(r.body.links[0]!.url).toContain("X-Amz-Security-Token=a-temporary-token");
  });

  it("lists the user's links, audits each creation, and keeps links private to their owner", async () => {
    const list = await admin.get<{ links: { id: string }[] }>("/api/links");
    expect(list.body.links.length).toBeGreaterThanOrEqual(6);
    const { db } = await import("@/lib/server/db");
    const audit = await (
      await db()
    )
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "link.create")
      .where("result", "=", "ok")
      .execute();
    expect(audit.length).toBe(list.body.links.length);
    expect(audit[0]).toMatchObject({ username: "admin", bucket });
    const eve = await userClient(admin, `eve${Date.now()}`);
    const id = list.body.links[0]!.id;
    expect((await eve.get(`/api/links/${id}`)).status).toBe(404);
    expect((await eve.get(`/api/links/${id}/export`)).status).toBe(404);
    expect((await eve.delete(`/api/links/${id}`)).status).toBe(404);
    expect((await eve.get<{ links: unknown[] }>("/api/links")).body.links).toEqual([]);
  });
});
