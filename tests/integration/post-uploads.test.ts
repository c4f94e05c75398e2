import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { withAppCorsRule } from "@/lib/bucket-rules";
import { signPostForm } from "@/lib/server/s3/post-form";
import { formBody } from "@/lib/upload/form-body";
import { addRgwConnection, adminClient, APP_ORIGIN, TestClient } from "../helpers/api-client";
import { refusingProxy, type MethodProxy } from "../helpers/method-proxy";
import { createTestBucket, directClient, listKeys, removeTestBucket, testS3 } from "../helpers/s3";

jest.setTimeout(120_000);

// Small files as browser POST forms (S3 POST Object), against Ceph RGW: what the app signs lands with the
// right bytes, type and key, and the policy holds the form to exactly that key, length and lifetime.
// The engine's side (fall back to PUT, ETag check) is in tests/unit/upload-forms.test.ts and the browser's
// in tests/e2e/uploads.test.ts.

type Plan =
  | { kind: "form"; key: string; url: string; fields: Record<string, string>; expiresAt: string }
  | { kind: "single"; key: string; url: string; headers: Record<string, string>; expiresAt: string }
  | { kind: "multipart"; key: string; uploadId: string };

const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");
const hex = (b: Buffer) => createHash("md5").update(b).digest("hex");

/**
 * Sends a form as the page does: the fields in order, Content-MD5, then the file, in the body the page's
 * own encoder writes (lib/upload/form-body.ts); `asBlob` frames a Blob, as for a file too large to read.
 */
async function post(
  plan: { url: string; fields: Record<string, string> },
  file: Buffer,
  over = {},
  asBlob = false,
) {
  const bytes = new Uint8Array(file);
  const { body, contentType } = formBody(
    { ...plan.fields, "Content-MD5": md5(file), ...over },
    asBlob ? new Blob([bytes]) : bytes,
  );
  const res = await fetch(plan.url, {
    method: "POST",
    body,
    headers: { origin: APP_ORIGIN, "content-type": contentType },
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: /<ETag>([^<]+)<\/ETag>/.exec(text)?.[1] ?? null,
    code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null,
    cors: res.headers.get("access-control-allow-origin"),
  };
}

async function readBack(bucket: string, key: string) {
  const out = await directClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await out.Body!.transformToByteArray()), type: out.ContentType };
}

describe("POST form uploads, against Ceph RGW", () => {
  let admin: TestClient;
  let conn: string;
  let bucket: string;
  const api = (path = "") => `/api/buckets/${bucket}/uploads${path}?connection=${conn}`;
  const plan = async (files: { key: string; size: number; contentType?: string }[], form = true) => {
    const r = await admin.post<{ uploads: Plan[] }>(api(), { files, form });
    expect(r.status).toBe(201);
    return r.body.uploads;
  };

  beforeAll(async () => {
    admin = await adminClient();
    conn = await addRgwConnection(admin);
    bucket = await createTestBucket();
    const cors = await admin.put(`/api/buckets/${bucket}/cors?connection=${conn}`, {
      rules: withAppCorsRule([], APP_ORIGIN),
    });
    expect(cors.status).toBe(200);
  });
  afterAll(async () => {
    await removeTestBucket(bucket);
  });

  it("plans small files as forms when asked, PUTs when not, and parts for large files either way", async () => {
    const [small, big] = await plan([
      { key: "a/one.txt", size: 10 },
      { key: "a/big.bin", size: 17 * 1024 * 1024 },
    ]);
    expect(small).toMatchObject({ kind: "form", key: "a/one.txt" });
    expect(big?.kind).toBe("multipart");
    const [put] = await plan([{ key: "a/one.txt", size: 10 }], false);
    expect(put?.kind).toBe("single");
    // The form's policy is short-lived: minutes, not the hour of a presigned PUT.
    if (small?.kind !== "form" || put?.kind !== "single") throw new Error("unexpected plans");
    expect(Date.parse(small.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(Date.parse(put.expiresAt)).toBeGreaterThan(Date.parse(small.expiresAt));
    // Nothing secret in the form: the key id and a signature, never the secret key.
    expect(JSON.stringify(small)).not.toContain(testS3().secretAccessKey);
    if (big?.kind === "multipart")
      await admin.post(api(`/${encodeURIComponent(big.uploadId)}/abort`), { key: big.key });
  });

  it("a form lands with the right bytes, content type and key, and answers the MD5 as ETag", async () => {
    const body = Buffer.from("训练数据 line\n".repeat(300));
    const [form] = await plan([{ key: "data/小文件 #1.txt", size: body.length, contentType: "text/plain" }]);
    if (form?.kind !== "form") throw new Error("expected a form");
    const r = await post(form, body);
    expect(r.status).toBe(201);
    expect(r.etag?.replaceAll('"', "")).toBe(hex(body));
    expect(r.cors).toBe(APP_ORIGIN);
    const back = await readBack(bucket, "data/小文件 #1.txt");
    expect(back.body.equals(body)).toBe(true);
    expect(back.type).toBe("text/plain");

    // A file too large to hold in memory goes as a Blob between the form's head and tail.
    const large = Buffer.alloc(3 * 1024 * 1024 + 7, "blob framed ");
    const [framed] = await plan([{ key: "data/large.bin", size: large.length }]);
    if (framed?.kind !== "form") throw new Error("expected a form");
    const l = await post(framed, large, {}, true);
    expect(l.status).toBe(201);
    expect(l.etag?.replaceAll('"', "")).toBe(hex(large));
    expect((await readBack(bucket, "data/large.bin")).body.equals(large)).toBe(true);

    const [empty] = await plan([{ key: "data/empty", size: 0 }]);
    if (empty?.kind !== "form") throw new Error("expected a form");
    expect((await post(empty, Buffer.alloc(0))).status).toBe(201);
    expect((await readBack(bucket, "data/empty")).body.length).toBe(0);
  });

  it("the policy refuses another key, another length, another type and an expired form", async () => {
    const body = Buffer.from("exactly these bytes");
    const [form] = await plan([{ key: "held/a.txt", size: body.length, contentType: "text/plain" }]);
    if (form?.kind !== "form") throw new Error("expected a form");
    expect((await post(form, body, { key: "held/other.txt" })).status).toBe(403);
    const longer = await post(form, Buffer.concat([body, Buffer.from("!")]));
    expect([400, 403]).toContain(longer.status);
    expect(longer.code).toBe("EntityTooLarge");
    const shorter = await post(form, body.subarray(1));
    expect([400, 403]).toContain(shorter.status);
    expect((await post(form, body, { "Content-Type": "text/html" })).status).toBe(403);
    expect(await listKeys(bucket, "held/")).toEqual([]);

    // Signed as the server signs, but long expired.
    const old = signPostForm(
      { ...testS3(), provider: "s3", addressing: "path" },
      {
        bucket,
        key: "held/a.txt",
        size: body.length,
        expiresIn: 60,
        signingDate: new Date(Date.now() - 3600e3),
      },
    );
    const expired = await post(old, body);
    expect(expired.status).toBe(403);
    expect(await listKeys(bucket, "held/")).toEqual([]);
  });

  it("the V2 form OBS documents (access key id, policy, HMAC-SHA1) is accepted too", async () => {
    const body = Buffer.from("signed the OBS way");
    const form = signPostForm(
      { ...testS3(), provider: "obs", addressing: "path" },
      {
        bucket,
        key: "v2/obs.txt",
        size: body.length,
        contentType: "text/plain",
        expiresIn: 300,
        signingDate: new Date(),
      },
    );
    expect(Object.keys(form.fields)).toEqual(
      expect.arrayContaining(["AWSAccessKeyId", "policy", "signature", "key"]),
    );
    const r = await post(form, body);
    expect(r.status).toBe(201);
    expect((await readBack(bucket, "v2/obs.txt")).body.equals(body)).toBe(true);
    const tampered = await post(
      { ...form, fields: { ...form.fields, signature: "AAAA" + form.fields.signature!.slice(4) } },
      body,
    );
    expect(tampered.status).toBe(403);
  });

  describe("a store that does not take forms", () => {
    let proxy: MethodProxy;
    let viaProxy: string;
    let proxied: string;
    beforeAll(async () => {
      proxy = await refusingProxy(testS3().endpoint, { method: "POST", status: 405 });
      viaProxy = await addRgwConnection(admin, { endpoint: proxy.endpoint });
      proxied = await createTestBucket();
      const cors = await admin.put(`/api/buckets/${proxied}/cors?connection=${viaProxy}`, {
        rules: withAppCorsRule([], APP_ORIGIN),
      });
      expect(cors.status).toBe(200);
    });
    afterAll(async () => {
      await proxy.close();
      await removeTestBucket(proxied);
    });

    it("answers the form with the refusal, and the PUT the browser then asks for goes through", async () => {
      const body = Buffer.from("falls back");
      const url = `/api/buckets/${proxied}/uploads?connection=${viaProxy}`;
      const first = await admin.post<{ uploads: Plan[] }>(url, {
        files: [{ key: "f.txt", size: body.length }],
        form: true,
      });
      const form = first.body.uploads[0];
      if (form?.kind !== "form") throw new Error("expected a form");
      const refused = await post(form, body);
      expect(refused.status).toBe(405);
      expect(refused.cors).toBe(APP_ORIGIN);
      expect(proxy.refused()).toBe(1);
      expect(await listKeys(proxied)).toEqual([]);

      const again = await admin.post<{ uploads: Plan[] }>(url, {
        files: [{ key: "f.txt", size: body.length }],
        form: false,
      });
      const put = again.body.uploads[0];
      if (put?.kind !== "single") throw new Error("expected a PUT");
      const res = await fetch(put.url, {
        method: "PUT",
        body: new Uint8Array(body),
        headers: { "content-md5": md5(body) },
      });
      expect(res.status).toBe(200);
      expect((await readBack(proxied, "f.txt")).body.equals(body)).toBe(true);
    });
  });

  it("plans PUTs for a bucket whose CORS rule predates POST (the settings page offers the update)", async () => {
    const old = await createTestBucket();
    try {
      const rule = {
        ...withAppCorsRule([], APP_ORIGIN)[0]!,
        allowedMethods: ["GET", "PUT", "DELETE", "HEAD"],
      };
      expect((await admin.put(`/api/buckets/${old}/cors?connection=${conn}`, { rules: [rule] })).status).toBe(
        200,
      );
      const r = await admin.post<{ uploads: Plan[] }>(`/api/buckets/${old}/uploads?connection=${conn}`, {
        files: [{ key: "x", size: 1 }],
        form: true,
      });
      expect(r.status).toBe(201);
      expect(r.body.uploads[0]?.kind).toBe("single");
    } finally {
      await removeTestBucket(old);
    }
  });

  it("refuses a plan whose hints break the rules, naming the field", async () => {
    const r = await admin.post<{ error: { message: string; fields?: Record<string, string> } }>(api(), {
      files: [{ key: "x", size: 1 }],
      form: "yes",
      linkBytesPerSecond: -1,
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain("form");
    expect(JSON.stringify(r.body)).toContain("linkBytesPerSecond");
  });
});
