import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { log } from "../log";
import { readCookie, resolveSession, sessionCookieName, type SessionUser } from "../auth/session";
import { clientAddress, HSTS, isOwnHost, isSameOrigin, isSecureRequest } from "../auth/request-info";
import { AppError } from "./app-error";
import { operations, type Operation, type OperationName, type Targets } from "@/lib/access/operations";
import { authorize, type StoreAccess } from "../access/authorize";
import { recordAudit, type AuditNote } from "../access/audit";
import { findLinkRow, type LinkRow } from "../db/links";
import { runInRequest } from "../request-context";
import { openShare, shareBroken, type ShareAccess } from "../shares/access";
import { limitPublicCall } from "./rate-limit";

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;
type Ops = typeof operations;

export interface RouteSpec<O extends OperationName, B, Q, P, R> {
  /** The entry of lib/access/operations.ts this route performs: who may call it and what it touches. */
  operation: O;
  body?: B;
  query?: Q;
  params?: P;
  /** Every value a handler returns is parsed by this schema, so nothing outside it (a secret) can leak. */
  response?: R;
  /** Largest accepted body; 1 MiB unless a route needs more (an uploaded credentials file). */
  maxBodyBytes?: number;
  /**
   * A route that another server calls (the OpenID provider's back-channel logout): no same-origin check,
   * and a form body (application/x-www-form-urlencoded) instead of JSON. Its own token is its proof.
   */
  serverToServer?: true;
}

export interface RouteContext<O extends OperationName, B, Q, P> {
  req: Request;
  user: Ops[O]["who"] extends "public"
    ? SessionUser | null
    : Ops[O] extends { connection: "share" }
      ? SessionUser | null
      : SessionUser;
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  address: string | null;
  secure: boolean;
  /** The raw session cookie, for logout and rotation. */
  sessionToken: string | undefined;
  /** The connection, as checked for this operation (connection-scoped operations only). */
  store: Ops[O] extends { connection: string } ? StoreAccess : undefined;
  /** The saved link a link route is about. */
  link: Ops[O] extends { connection: "link" } ? LinkRow : undefined;
  /** The share a public share-page route goes through (acting with its creator's access). */
  share: Ops[O] extends { connection: "share" } ? ShareAccess : undefined;
  /** Facts for the audit record of this call. */
  audit: AuditNote;
}

/** A handler returns plain data (sent as JSON 200, through `response`) or a full Response it built itself. */
export type Handler<O extends OperationName, B, Q, P> = (
  ctx: RouteContext<O, B, Q, P>,
) => Promise<Response | object>;

/** The handler Next calls, tagged with its operation so tests can read which one a route performs. */
export type RouteHandler = ((req: Request, ctx: NextRouteContext) => Promise<Response>) & {
  operation: OperationName;
  /** The route's input schemas, for tests that generate requests from them (the fuzz test). */
  schemas: { params?: Schema; query?: Schema; body?: Schema };
};

type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
const NO_STORE = { "cache-control": "no-store" };

export function json(
  data: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return Response.json(data, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function errorResponse(err: AppError): Response {
  return json(
    { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } },
    { status: err.status, headers: err.headers },
  );
}

/** Names the first failing field and its rule: "password: must be at least 10 characters". */
export function validationError(where: "body" | "query" | "params", error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.join(".") : where,
    message: i.message,
  }));
  const first = issues[0] ?? { field: where, message: "is invalid" };
  return new AppError("validation_failed", `${first.field}: ${first.message}`, { details: { issues } });
}

async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError(
      "unsupported_media_type",
      "Send the request body as JSON (Content-Type: application/json).",
    );
  }
  const tooLarge = () => new AppError("payload_too_large", `body: must be at most ${maxBytes} bytes`);
  if (Number(req.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  // Read as a stream and stop at the limit: a chunked body without Content-Length is not buffered whole.
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("bad_request", "body: is not valid JSON");
  }
}

async function readFormBody(req: Request, maxBytes: number): Promise<Record<string, string>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new AppError(
      "unsupported_media_type",
      "Send the request body as application/x-www-form-urlencoded.",
    );
  }
  if (Number(req.headers.get("content-length") ?? "0") > maxBytes) {
    throw new AppError("payload_too_large", `body: must be at most ${maxBytes} bytes`);
  }
  const text = await req.text();
  if (text.length > maxBytes)
    throw new AppError("payload_too_large", `body: must be at most ${maxBytes} bytes`);
  return Object.fromEntries(new URLSearchParams(text));
}

function parseWith<S extends Schema | undefined>(
  schema: S,
  value: unknown,
  where: "body" | "query" | "params",
): Out<S> {
  if (!schema) return undefined as Out<S>;
  const result = (schema as Schema).safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data as Out<S>;
}

async function loadLink(user: SessionUser | null, params: unknown): Promise<LinkRow> {
  const id = typeof params === "object" && params && "id" in params ? String(params.id) : "";
  const row = user ? await findLinkRow(user.userId, id) : undefined;
  if (!row) throw new AppError("not_found", "No such link.");
  return row;
}

/**
 * Wraps every API route handler: refuses cross-site mutations and non-JSON bodies, checks the session itself
 * (never trusting the proxy to have done it), parses params, query and body with zod, then applies the
 * route's entry of the operation table: who may call it and, for a connection, the role and every bucket,
 * folder and key the call touches (lib/server/access/authorize.ts). It parses the response, writes the
 * audit record of calls that change something, and maps every error to `{ error: { code, message } }`.
 */
export function route<
  O extends OperationName,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(spec: RouteSpec<O, B, Q, P, R>, handler: Handler<O, B, Q, P>): RouteHandler {
  const op: Operation = operations[spec.operation];
  const wrapped = async (req: Request, nextCtx: NextRouteContext): Promise<Response> => {
    let user: SessionUser | null = null;
    let store: StoreAccess | undefined;
    let targets: Targets | undefined;
    let checked = false;
    const note: AuditNote = {};
    const address = clientAddress(req.headers);
    let share: ShareAccess | undefined;
    const audit = async (error?: unknown) => {
      // Input that did not parse changed nothing and is not recorded; nor is an attempt on something that
      // does not exist (a made-up id). Refusals and the store's errors are.
      const nothingThere = !store && error instanceof AppError && error.code === "not_found";
      if (op.audit && (checked || store) && !nothingThere)
        await recordAudit({ action: op.audit, user, address, store, targets, note, error });
    };
    try {
      if (!isOwnHost(req.headers)) {
        throw new AppError(
          "misdirected",
          "This server does not answer to that name. An administrator who serves it under another name sets APP_ORIGIN.",
        );
      }
      const method = req.method.toUpperCase();
      if (MUTATIONS.has(method) && !spec.serverToServer && !isSameOrigin(req)) {
        throw new AppError(
          "cross_site",
          "This request did not come from this app's own pages (Origin header missing or foreign), so it was refused.",
        );
      }
      // Public share pages have no session, so every one of their calls counts against a per-place limit.
      if (op.connection === "share") limitPublicCall(address);
      const sessionToken = readCookie(req.headers.get("cookie"), sessionCookieName(isSecureRequest(req)));
      user = await resolveSession(sessionToken);
      if (op.who !== "public" && op.connection !== "share" && !user) {
        throw new AppError(
          "unauthenticated",
          "Sign in first: there is no valid session (it may have expired).",
        );
      }
      if (op.who === "admin" && user?.role !== "admin") {
        throw new AppError("forbidden", "Only an administrator can do this.");
      }
      const rawParams = nextCtx?.params ? await nextCtx.params : {};
      const params = parseWith(spec.params as P, rawParams, "params");
      const query = parseWith(spec.query as Q, Object.fromEntries(new URL(req.url).searchParams), "query");
      const maxBody = spec.maxBodyBytes ?? 1024 * 1024;
      const body = WITH_BODY.has(method)
        ? parseWith(
            spec.body as B,
            spec.serverToServer ? await readFormBody(req, maxBody) : await readJsonBody(req, maxBody),
            "body",
          )
        : (undefined as Out<B>);

      const link = op.connection === "link" ? await loadLink(user, params) : undefined;
      if (op.connection === "share") {
        share = await openShare((params as { token: string }).token, op, req);
        note.actor = { userId: share.row.user_id, username: `share:${share.row.id.slice(0, 8)}` };
        note.details = { share: share.row.id };
      }
      checked = true;
      const acting = share ? share.creator : user;
      if (op.connection && acting) {
        const input = {
          params,
          query,
          body,
          ...(link
            ? {
                link: { bucket: link.bucket, key: link.object_key, prefix: link.prefix, method: link.method },
              }
            : {}),
          ...(share
            ? { share: { bucket: share.row.bucket, key: share.row.object_key, prefix: share.row.prefix } }
            : {}),
        };
        const connectionId = share
          ? share.row.connection_id
          : op.connection === "link"
            ? (link?.connection_id ?? undefined)
            : op.connection === "params"
              ? (params as { id: string }).id
              : (query as { connection?: string }).connection;
        if (op.connection === "link" && !connectionId) {
          throw new AppError(
            "conflict",
            "The access key this link was made with has been deleted; the link cannot be shown again.",
          );
        }
        targets = op.targets?.(input);
        store = share
          ? await authorize(acting, op, input, connectionId, targets).catch((err: unknown) => {
              // The creator lost the role or the folder, or the connection is gone: the share is dead.
              if (err instanceof AppError && (err.code === "forbidden" || err.code === "not_found"))
                throw shareBroken();
              throw err;
            })
          : await authorize(acting, op, input, connectionId, targets);
      }

      const run = () =>
        handler({
          req,
          user: user as RouteContext<O, B, Q, P>["user"],
          body,
          query,
          params,
          address,
          secure: isSecureRequest(req),
          sessionToken,
          store: store as RouteContext<O, B, Q, P>["store"],
          link: link as RouteContext<O, B, Q, P>["link"],
          share: share as RouteContext<O, B, Q, P>["share"],
          audit: note,
        });
      // Store calls made for this request know whose they are and stop when the browser goes away. A
      // share's visitors get store-call slots of their own, never their creator's.
      const slotOwner = share ? `share:${share.row.id}` : (user?.userId ?? null);
      const result = await runInRequest({ userId: slotOwner, signal: req.signal }, run);
      let response: Response;
      if (result instanceof Response) {
        if (!result.headers.has("cache-control")) result.headers.set("cache-control", "no-store");
        response = result;
      } else {
        response = json(spec.response ? (spec.response as Schema).parse(result) : result);
      }
      await audit(response.ok ? undefined : new AppError("bad_request", `HTTP ${response.status}`));
      if (isSecureRequest(req)) response.headers.set("strict-transport-security", HSTS);
      return response;
    } catch (err) {
      await audit(err);
      const secured = (r: Response) => {
        if (isSecureRequest(req)) r.headers.set("strict-transport-security", HSTS);
        return r;
      };
      if (err instanceof AppError) {
        if (err.status >= 500)
          log.error("request failed", { path: new URL(req.url).pathname, code: err.code, cause: err.cause });
        return secured(errorResponse(err));
      }
      const id = randomUUID();
      log.error("unhandled error", { id, path: new URL(req.url).pathname, error: err });
      return secured(
        errorResponse(
          new AppError("internal", `Something went wrong on the server. The error was logged with id ${id}.`),
        ),
      );
    }
  };
  return Object.assign(wrapped, {
    operation: spec.operation,
    schemas: {
      ...(spec.params ? { params: spec.params as Schema } : {}),
      ...(spec.query ? { query: spec.query as Schema } : {}),
      ...(spec.body ? { body: spec.body as Schema } : {}),
    },
  });
}
