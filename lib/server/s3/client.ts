import "server-only";
import { createHash } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import https from "node:https";
import { S3Client } from "@aws-sdk/client-s3";
import { HttpRequest } from "@smithy/protocol-http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { FinalizeHandlerArguments, FinalizeRequestMiddleware, MetadataBearer } from "@smithy/types";
import { env } from "../env";
import { AppError } from "../http/app-error";
import { endpointPolicy, guardedLookup, refusedEndpointHost, type EndpointPolicy } from "./address-guard";
import { callSignal, capBody, inUserSlot, ResponseTooLargeError } from "./limits";

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

let policy: { from: ReturnType<typeof env>; value: EndpointPolicy } | undefined;
/** The operator's rules for which store addresses this server may connect to (from the environment). */
export function storePolicy(): EndpointPolicy {
  const e = env();
  if (policy?.from !== e) {
    policy = { from: e, value: endpointPolicy(e.ALLOW_PRIVATE_ENDPOINTS, e.PRIVATE_ENDPOINTS_ALLOW) };
  }
  return policy.value;
}
// Shared keep-alive agents; their lookup refuses private addresses at connect time.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup(storePolicy) });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup(storePolicy) });

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

/** The SDK's HTTP handler with one more rule: a response body larger than S3_MAX_RESPONSE_BYTES fails. */
class CappedHttpHandler extends NodeHttpHandler {
  constructor(
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
    private readonly limit: number,
  ) {
    super(options);
  }
  override async handle(...args: Parameters<NodeHttpHandler["handle"]>) {
    const result = await super.handle(...args);
    // A HEAD answer states the object's length but carries no body.
    if (args[0].method === "HEAD") return result;
    const res = result.response;
    const length = Number(res.headers["content-length"] ?? "0");
    const body: unknown = res.body;
    if (length > this.limit) {
      if (body instanceof Readable) body.destroy();
      throw new ResponseTooLargeError(this.limit);
    }
    if (body instanceof Readable) res.body = capBody(body, this.limit);
    return result;
  }
}

export interface ClientOptions {
  /** 1 for a connection test, so a dead endpoint is reported at once instead of after retries. */
  maxAttempts?: number;
}

export function createS3Client(c: StoreCredentials, opts: ClientOptions = {}): S3Client {
  const refused = refusedEndpointHost(c.endpoint, storePolicy());
  if (refused) {
    throw new AppError(
      "forbidden",
      `The endpoint ${c.endpoint} points at a private or loopback address (${refused}), which this server does not connect to. An administrator can allow it in PRIVATE_ENDPOINTS_ALLOW (or all private addresses with ALLOW_PRIVATE_ENDPOINTS=true).`,
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
    requestHandler: new CappedHttpHandler(
      {
        httpAgent,
        httpsAgent,
        connectionTimeout: e.S3_CONNECT_TIMEOUT_SECONDS * 1000,
        // An inactivity limit; the total one is the deadline below (a long server-side copy keeps the
        // socket busy and may take minutes, so it is generous).
        socketTimeout: e.S3_REQUEST_TIMEOUT_SECONDS * 1000,
      },
      e.S3_MAX_RESPONSE_BYTES,
    ),
  });
  // Every call: in one of the user's slots, under a deadline for the whole call (retries included), and
  // aborted when the browser's request goes away (lib/server/s3/limits.ts).
  const send = client.send.bind(client) as (command: unknown, options?: unknown) => Promise<unknown>;
  Object.assign(client, {
    send: (command: unknown, options?: { abortSignal?: AbortSignal }) => {
      const { signal, deadlineMs } = callSignal(options?.abortSignal);
      return inUserSlot(signal, () =>
        send(command, { ...options, abortSignal: signal }).catch((err: unknown) => {
          if (signal.aborted && !(err instanceof AppError)) throw deadlineError(signal, deadlineMs, c, err);
          throw err;
        }),
      );
    },
  });
  client.middlewareStack.addRelativeTo(contentMd5Middleware, {
    relation: "before",
    toMiddleware: "httpSigningMiddleware",
    name: "obsContentMd5",
    override: true,
  });
  return client;
}

function deadlineError(
  signal: AbortSignal,
  deadlineMs: number,
  c: StoreCredentials,
  cause: unknown,
): AppError {
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") {
    return new AppError(
      "store_failed",
      `${c.endpoint} did not finish answering within ${Math.round(deadlineMs / 1000)} seconds, so the request was given up. The store may be overloaded or not an S3 store.`,
      { cause, details: { storeCode: "Deadline" } },
    );
  }
  return new AppError("bad_request", "The request was cancelled before the store answered.", {
    cause,
    details: { storeCode: "Cancelled" },
  });
}
