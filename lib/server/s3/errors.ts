import "server-only";
import { AppError, type ErrorCode } from "../http/app-error";
import { PrivateAddressError } from "./address-guard";
import { ResponseTooLargeError } from "./limits";

/** What we know about the call that failed, to make the message specific. Never holds a secret. */
export interface StoreCallContext {
  endpoint: string;
  region: string;
  bucket?: string;
  key?: string;
}

interface Explained {
  status: ErrorCode;
  message: string;
}

type Explain = (ctx: StoreCallContext) => Explained;

// One table from the store's error code to a message that says what happened and what to do. The UI shows
// it as is (and translates by `storeCode`); the store's own message is often empty (Ceph) or terse (OBS).
const BY_CODE: Record<string, Explain> = {
  InvalidAccessKeyId: () => ({
    status: "store_failed",
    message:
      "The store does not know this access key ID. Check that it was copied whole, that the key was not deleted in IAM, and that it belongs to this cloud (OBS keys do not work on other stores).",
  }),
  SignatureDoesNotMatch: () => ({
    status: "store_failed",
    message:
      "The secret access key does not match this access key ID. Paste the secret again from the credentials.csv downloaded when the key was created.",
  }),
  RequestTimeTooSkewed: () => ({
    status: "store_failed",
    message:
      "This server's clock differs from the store's by more than 15 minutes, so the store refuses its signatures. Set the server's time correctly (enable NTP) and try again.",
  }),
  VirtualHostDomainRequired: () => ({
    status: "store_failed",
    message:
      "The store refuses path-style requests. Edit the connection and set addressing to virtual-hosted (required by OBS).",
  }),
  AccessDenied: (c) => ({
    status: "forbidden",
    message: `The key is valid but not allowed to do this${c.bucket ? ` on bucket ${c.bucket}` : ""}. Grant the IAM user OBS permissions (for example the OBS OperateAccess policy) or use another key.`,
  }),
  AllAccessDisabled: () => ({
    status: "forbidden",
    message: "All access to this bucket has been disabled (the account may be frozen or in arrears).",
  }),
  InvalidToken: () => ({
    status: "store_failed",
    message:
      "The security token is malformed or does not belong to this key. Get a new temporary credential.",
  }),
  ExpiredToken: () => ({
    status: "store_failed",
    message:
      "The temporary credential has expired. Get a new one (AK, SK and security token) and update the connection.",
  }),
  TokenRefreshRequired: () => ({
    status: "store_failed",
    message: "The temporary credential has expired. Get a new one and update the connection.",
  }),
  NoSuchBucket: (c) => ({
    status: "not_found",
    message: `${c.bucket ? `Bucket ${c.bucket}` : "The bucket"} does not exist (or is in another account). Check the name.`,
  }),
  BucketAlreadyExists: (c) => ({
    status: "conflict",
    message: `The name ${c.bucket ? `${c.bucket} ` : ""}is taken by another account: bucket names are shared by every account of the cloud. Pick another name.`,
  }),
  BucketAlreadyOwnedByYou: (c) => ({
    status: "conflict",
    message: `You already have a bucket named ${c.bucket ?? "like this"}.`,
  }),
  TooManyBuckets: () => ({
    status: "conflict",
    message:
      "This account has reached its bucket quota (100 on OBS). Delete a bucket you no longer need first.",
  }),
  BucketNotEmpty: (c) => ({
    status: "conflict",
    message: `${c.bucket ? `Bucket ${c.bucket}` : "The bucket"} is not empty. Empty it first (every object, old version and unfinished upload), then delete it.`,
  }),
  InvalidLocationConstraint: (c) => ({
    status: "store_failed",
    message: `Region ${c.region} is not accepted by this endpoint. Pick a region the store offers.`,
  }),
  InvalidBucketName: () => ({ status: "validation_failed", message: "The store refuses this bucket name." }),
  OperationAborted: () => ({
    status: "conflict",
    message:
      "Another change to this bucket is under way (a bucket deleted a moment ago keeps its name for a while). Try again in a few minutes.",
  }),
  // HEAD answers 404 without a body, so the SDK can only call it NotFound.
  NotFound: (c) => ({
    status: "not_found",
    message: c.key
      ? `Object ${c.key} does not exist.`
      : `${c.bucket ? `Bucket ${c.bucket}` : "The bucket"} does not exist (or is in another account).`,
  }),
  NoSuchKey: (c) => ({
    status: "not_found",
    message: `${c.key ? `Object ${c.key}` : "The object"} does not exist.`,
  }),
  NoSuchUpload: (c) => ({
    status: "not_found",
    message: `The upload${c.key ? ` of ${c.key}` : ""} no longer exists in the store: it was completed, aborted, or removed by a clean-up rule. Upload the file again.`,
  }),
  InvalidPart: () => ({
    status: "conflict",
    message:
      "A part of this upload is missing in the store or its ETag does not match. Resume the upload to send the missing parts again.",
  }),
  InvalidPartOrder: () => ({
    status: "bad_request",
    message: "The parts of this upload were listed out of order. Resume the upload.",
  }),
  EntityTooSmall: () => ({
    status: "bad_request",
    message:
      "A part other than the last is smaller than the store's minimum part size (5 MB). Upload the file again.",
  }),
  BadDigest: () => ({
    status: "store_failed",
    message:
      "The bytes the store received do not match their Content-MD5: they were corrupted on the way. Retry the upload.",
  }),
  CorsNotAllowed: (c) => ({
    status: "conflict",
    message: `Bucket ${c.bucket ?? ""} does not let this app's pages upload to it (its CORS rules do not allow this origin to PUT and read ETag). Allow uploads from this app in the bucket's settings, or with the button here.`,
  }),
  PermanentRedirect: (c) => ({
    status: "store_failed",
    message: `The bucket${c.bucket ? ` ${c.bucket}` : ""} is in another region than ${c.region}. Use a connection for the bucket's region (its endpoint must match).`,
  }),
  AuthorizationHeaderMalformed: (c) => ({
    status: "store_failed",
    message: `The store expects another region than ${c.region}. Check that the region and the endpoint of the connection belong together.`,
  }),
  IllegalLocationConstraintException: (c) => ({
    status: "store_failed",
    message: `The endpoint ${c.endpoint} does not serve region ${c.region}. Pick the region that matches the endpoint.`,
  }),
  MethodNotAllowed: () => ({
    status: "store_failed",
    message: "This feature is not offered in this region or by this store.",
  }),
  NotImplemented: () => ({
    status: "store_failed",
    message: "This store does not implement this operation.",
  }),
  SlowDown: () => ({
    status: "store_failed",
    message: "The store asks us to slow down. Wait a moment and try again.",
  }),
  ServiceUnavailable: () => ({
    status: "store_failed",
    message: "The store is temporarily unavailable. Try again shortly.",
  }),
  InternalError: () => ({
    status: "store_failed",
    message: "The store had an internal error. Try again shortly.",
  }),
};

const BY_NETWORK_CODE: Record<string, Explain> = {
  ECONNREFUSED: (c) => ({
    status: "store_failed",
    message: `Nothing answers at ${c.endpoint} (connection refused). Check the endpoint's address and port.`,
  }),
  ENOTFOUND: (c) => ({
    status: "store_failed",
    message: `The endpoint's host name in ${c.endpoint} does not resolve. Check the spelling and the region.`,
  }),
  EAI_AGAIN: (c) => ({
    status: "store_failed",
    message: `The host name in ${c.endpoint} could not be resolved right now (DNS). Try again, or check this server's DNS.`,
  }),
  ResponseTooLarge: (c) => ({
    status: "store_failed",
    message: `${c.endpoint} sent an answer far larger than this request needs, so it was refused. The endpoint may not be an S3 store, or it is misbehaving.`,
  }),
  ECONNRESET: (c) => ({
    status: "store_failed",
    message: `The connection to ${c.endpoint} was cut. A proxy or firewall may be in the way; try again.`,
  }),
  EHOSTUNREACH: (c) => ({
    status: "store_failed",
    message: `${c.endpoint} cannot be reached from this server (no route).`,
  }),
  ENETUNREACH: (c) => ({
    status: "store_failed",
    message: `${c.endpoint} cannot be reached from this server (no network).`,
  }),
  CERT_HAS_EXPIRED: (c) => ({
    status: "store_failed",
    message: `The TLS certificate of ${c.endpoint} has expired.`,
  }),
  ERR_TLS_CERT_ALTNAME_INVALID: (c) => ({
    status: "store_failed",
    message: `The TLS certificate does not match the host of ${c.endpoint}${c.bucket?.includes(".") ? `: bucket names with dots break virtual-hosted HTTPS (bucket ${c.bucket})` : ""}.`,
  }),
  DEPTH_ZERO_SELF_SIGNED_CERT: (c) => ({
    status: "store_failed",
    message: `${c.endpoint} uses a self-signed TLS certificate, which this server does not trust.`,
  }),
  SELF_SIGNED_CERT_IN_CHAIN: (c) => ({
    status: "store_failed",
    message: `${c.endpoint} uses a TLS certificate from an untrusted authority.`,
  }),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (c) => ({
    status: "store_failed",
    message: `The TLS certificate of ${c.endpoint} cannot be verified.`,
  }),
};

const BY_STATUS: Record<number, string> = {
  301: "PermanentRedirect",
  400: "BadRequest",
  403: "AccessDenied",
  404: "NotFound",
  405: "MethodNotAllowed",
  501: "NotImplemented",
  503: "ServiceUnavailable",
};

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

function networkCode(err: SdkLikeError): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as SdkLikeError).code;
    if (typeof code === "string") return code;
    e = (e as SdkLikeError).cause;
  }
  return undefined;
}

/** The store's own error code (or our name for a network failure): what the UI translates. */
export function storeErrorCode(err: unknown): string {
  if (err instanceof PrivateAddressError) return "PrivateEndpoint";
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as SdkLikeError).cause, i++) {
    if (e instanceof ResponseTooLargeError) return "ResponseTooLarge";
  }
  const e = (err ?? {}) as SdkLikeError;
  const net = networkCode(e);
  if (net && BY_NETWORK_CODE[net]) return net;
  if (e.name === "TimeoutError" || net === "ETIMEDOUT" || net === "ESOCKETTIMEDOUT") return "Timeout";
  const status = e.$metadata?.httpStatusCode;
  if (e.name && e.name !== "Error" && e.name !== "UnknownError" && !/^\d+$/.test(e.name)) return e.name;
  if (status && BY_STATUS[status]) return BY_STATUS[status];
  return net ?? "Unknown";
}

/** Turns any failure of a store call into an AppError a person can act on. Never includes a secret. */
export function storeError(err: unknown, ctx: StoreCallContext): AppError {
  if (err instanceof AppError) return err;
  const code = storeErrorCode(err);
  const status = ((err ?? {}) as SdkLikeError).$metadata?.httpStatusCode ?? null;
  let explained: Explained;
  if (code === "PrivateEndpoint") {
    explained = {
      status: "forbidden",
      message: `The endpoint ${ctx.endpoint} resolves to a private or loopback address, which this server does not connect to. An administrator can allow it in PRIVATE_ENDPOINTS_ALLOW (or all private addresses with ALLOW_PRIVATE_ENDPOINTS=true).`,
    };
  } else if (code === "Timeout") {
    explained = {
      status: "store_failed",
      message: `${ctx.endpoint} did not answer in time. Check the address, and any firewall or proxy between this server and the store.`,
    };
  } else {
    const explain = BY_CODE[code] ?? BY_NETWORK_CODE[code];
    explained = explain
      ? explain(ctx)
      : {
          status: "store_failed",
          message: `The store refused the request (${code}${status ? `, HTTP ${status}` : ""}).`,
        };
  }
  return new AppError(explained.status, explained.message, {
    cause: err,
    details: { storeCode: code, ...(status ? { storeStatus: status } : {}) },
  });
}
