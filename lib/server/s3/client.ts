import "server-only";
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { S3Client } from "@aws-sdk/client-s3";
import { HttpRequest } from "@smithy/protocol-http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { FinalizeHandlerArguments, FinalizeRequestMiddleware, MetadataBearer } from "@smithy/types";
import { env } from "../env";
import { AppError } from "../http/app-error";
import { guardedLookup, refusedEndpointHost } from "./address-guard";

/** Everything needed to talk to one store as one user. Lives only in server memory, never in a response. */
export interface StoreCredentials {
  provider: "obs" | "s3";
  region: string;
  endpoint: string;
  addressing: "virtual" | "path";
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const allowPrivate = () => env().ALLOW_PRIVATE_ENDPOINTS;
// Shared keep-alive agents; their lookup refuses private addresses at connect time.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup(allowPrivate) });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup(allowPrivate) });

const CHECKSUM_HEADER = /^x-amz-(checksum-|sdk-checksum-algorithm$)/i;

/**
 * OBS requires Content-MD5 on batch delete and on bucket configuration bodies (CORS, lifecycle, …), and
 * does not accept the CRC32 checksums that AWS SDK v3 sends on those "checksum required" operations even
 * with WHEN_REQUIRED. For any request that carries an SDK checksum over an in-memory body (the XML of such
 * operations; object uploads stream and carry none under WHEN_REQUIRED), send Content-MD5 instead.
 * Runs after the SDK adds its headers and before the request is signed.
 */
export const contentMd5Middleware: FinalizeRequestMiddleware<object, MetadataBearer> =
  (next) => async (args: FinalizeHandlerArguments<object>) => {
    const req = args.request;
    if (HttpRequest.isInstance(req)) {
      const names = Object.keys(req.headers).filter((h) => CHECKSUM_HEADER.test(h));
      const body: unknown = req.body;
      if (names.length > 0 && (typeof body === "string" || body instanceof Uint8Array)) {
        for (const h of names) delete req.headers[h];
        req.headers["content-md5"] = createHash("md5").update(body).digest("base64");
      }
    }
    return next(args);
  };

export interface ClientOptions {
  /** 1 for a connection test, so a dead endpoint is reported at once instead of after retries. */
  maxAttempts?: number;
}

export function createS3Client(c: StoreCredentials, opts: ClientOptions = {}): S3Client {
  const refused = refusedEndpointHost(c.endpoint, allowPrivate());
  if (refused) {
    throw new AppError(
      "forbidden",
      `The endpoint ${c.endpoint} points at a private or loopback address (${refused}), which this server does not connect to. An administrator can allow it with ALLOW_PRIVATE_ENDPOINTS=true.`,
      { details: { storeCode: "PrivateEndpoint" } },
    );
  }
  const e = env();
  const client = new S3Client({
    region: c.region,
    endpoint: c.endpoint,
    // OBS refuses path-style requests on its public domains (VirtualHostDomainRequired).
    forcePathStyle: c.addressing === "path",
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    },
    // OBS accepts neither the SDK's default CRC32 checksums nor aws-chunked bodies.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: opts.maxAttempts ?? 3,
    retryMode: "standard",
    requestHandler: new NodeHttpHandler({
      httpAgent,
      httpsAgent,
      connectionTimeout: e.S3_CONNECT_TIMEOUT_SECONDS * 1000,
      // An inactivity limit, not a total one: a long server-side copy keeps the socket busy and may take minutes.
      socketTimeout: e.S3_REQUEST_TIMEOUT_SECONDS * 1000,
    }),
  });
  client.middlewareStack.addRelativeTo(contentMd5Middleware, {
    relation: "before",
    toMiddleware: "httpSigningMiddleware",
    name: "obsContentMd5",
    override: true,
  });
  return client;
}
