import { createHash } from "node:crypto";
import { DeleteObjectsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { HttpRequest } from "@smithy/protocol-http";
import type { FinalizeRequestMiddleware, MetadataBearer } from "@smithy/types";
import { contentMd5Middleware, createS3Client } from "@/lib/server/s3/client";

// No network: a middleware after signing captures the request and stops it.
class Captured extends Error {
  constructor(readonly request: HttpRequest) {
    super("captured");
  }
}

async function capture(
  provider: "obs" | "s3",
  addressing: "virtual" | "path",
  command: PutObjectCommand | DeleteObjectsCommand,
) {
  const client = createS3Client({
    provider,
    region: "cn-north-4",
    endpoint: "https://obs.cn-north-4.myhuaweicloud.com",
    addressing,
    accessKeyId: "AKEXAMPLE",
    secretAccessKey: "secret",
  });
  const stop: FinalizeRequestMiddleware<object, MetadataBearer> = () => async (args) => {
    throw new Captured(args.request as HttpRequest);
  };
  client.middlewareStack.addRelativeTo(stop, {
    relation: "after",
    toMiddleware: "httpSigningMiddleware",
    name: "stop",
  });
  try {
    await client.send(command as PutObjectCommand);
  } catch (err) {
    if (err instanceof Captured) return err.request;
    throw err;
  }
  throw new Error("request was not captured");
}

describe("S3 client for OBS", () => {
  it("addresses OBS buckets virtual-hosted (OBS refuses path-style)", async () => {
    const req = await capture(
      "obs",
      "virtual",
      new PutObjectCommand({ Bucket: "my-data", Key: "train/a.jpg", Body: "x" }),
    );
    expect(req.hostname).toBe("my-data.obs.cn-north-4.myhuaweicloud.com");
    expect(req.path).toBe("/train/a.jpg");
  });

  it("addresses path-style when the connection asks for it", async () => {
    const req = await capture(
      "s3",
      "path",
      new PutObjectCommand({ Bucket: "my-data", Key: "train/a.jpg", Body: "x" }),
    );
    expect(req.hostname).toBe("obs.cn-north-4.myhuaweicloud.com");
    expect(req.path).toBe("/my-data/train/a.jpg");
  });

  it("signs object uploads without CRC32 or aws-chunked trailers", async () => {
    const req = await capture(
      "obs",
      "virtual",
      new PutObjectCommand({ Bucket: "b", Key: "k", Body: "hello" }),
    );
    expect(Object.keys(req.headers).filter((h) => /checksum/i.test(h))).toEqual([]);
    expect(req.headers["content-encoding"] ?? "").not.toContain("aws-chunked");
  });

  it("replaces the CRC32 of DeleteObjects with a correct Content-MD5", async () => {
    const req = await capture(
      "obs",
      "virtual",
      new DeleteObjectsCommand({ Bucket: "b", Delete: { Objects: [{ Key: "a" }, { Key: "b" }] } }),
    );
    expect(Object.keys(req.headers).filter((h) => /^x-amz-(checksum|sdk-checksum)/i.test(h))).toEqual([]);
    const body = req.body as string | Uint8Array;
    expect(req.headers["content-md5"]).toBe(createHash("md5").update(body).digest("base64"));
  });

  it("leaves a streamed body alone", async () => {
    const req = new HttpRequest({
      headers: { "x-amz-checksum-crc32": "abc" },
      body: { pipe: () => undefined },
    });
    let seen: HttpRequest | undefined;
    await contentMd5Middleware(async (args) => {
      seen = args.request as HttpRequest;
      return { output: { $metadata: {} }, response: {} };
    }, {} as never)({ request: req, input: {} });
    expect(seen?.headers["x-amz-checksum-crc32"]).toBe("abc");
    expect(seen?.headers["content-md5"]).toBeUndefined();
  });
});
