import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { log } from "../log";
import { readCookie, resolveSession, SESSION_COOKIE, type SessionUser } from "../auth/session";
import { clientAddress, isSameOrigin, isSecureRequest } from "../auth/request-info";
import { AppError } from "./app-error";

/** Who may call a route: anyone, any signed-in user, or an admin. */
export type Access = "public" | "user" | "admin";

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

export interface RouteSpec<A extends Access, B, Q, P, R> {
  access: A;
  body?: B;
  query?: Q;
  params?: P;
  /** Every value a handler returns is parsed by this schema, so nothing outside it (a secret) can leak. */
  response?: R;
  /** Largest accepted body; 1 MiB unless a route needs more (an uploaded credentials file). */
  maxBodyBytes?: number;
}

export interface RouteContext<A extends Access, B, Q, P> {
  req: Request;
  user: A extends "public" ? SessionUser | null : SessionUser;
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  address: string | null;
  secure: boolean;
  /** The raw session cookie, for logout and rotation. */
  sessionToken: string | undefined;
}

/** A handler returns plain data (sent as JSON 200, through `response`) or a full Response it built itself. */
export type Handler<A extends Access, B, Q, P> = (
  ctx: RouteContext<A, B, Q, P>,
) => Promise<Response | object>;

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

/**
 * Wraps every API route handler: refuses cross-site mutations and non-JSON bodies, checks the session itself
 * (never trusting the proxy to have done it), parses params, query and body with zod, parses the response,
 * and maps every error to `{ error: { code, message } }`.
 */
export function route<
  A extends Access,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(
  spec: RouteSpec<A, B, Q, P, R>,
  handler: Handler<A, B, Q, P>,
): (req: Request, ctx: NextRouteContext) => Promise<Response> {
  return async (req, nextCtx) => {
    try {
      const method = req.method.toUpperCase();
      if (MUTATIONS.has(method) && !isSameOrigin(req)) {
        throw new AppError(
          "cross_site",
          "This request did not come from this app's own pages (Origin header missing or foreign), so it was refused.",
        );
      }
      const sessionToken = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
      const user = await resolveSession(sessionToken);
      if (spec.access !== "public" && !user) {
        throw new AppError(
          "unauthenticated",
          "Sign in first: there is no valid session (it may have expired).",
        );
      }
      if (spec.access === "admin" && user?.role !== "admin") {
        throw new AppError("forbidden", "Only an administrator can do this.");
      }
      const rawParams = nextCtx?.params ? await nextCtx.params : {};
      const params = parseWith(spec.params as P, rawParams, "params");
      const query = parseWith(spec.query as Q, Object.fromEntries(new URL(req.url).searchParams), "query");
      const body = WITH_BODY.has(method)
        ? parseWith(spec.body as B, await readJsonBody(req, spec.maxBodyBytes ?? 1024 * 1024), "body")
        : (undefined as Out<B>);

      const result = await handler({
        req,
        user: user as RouteContext<A, B, Q, P>["user"],
        body,
        query,
        params,
        address: clientAddress(req.headers),
        secure: isSecureRequest(req),
        sessionToken,
      });
      if (result instanceof Response) {
        if (!result.headers.has("cache-control")) result.headers.set("cache-control", "no-store");
        return result;
      }
      const out = spec.response ? (spec.response as Schema).parse(result) : result;
      return json(out);
    } catch (err) {
      if (err instanceof AppError) {
        if (err.status >= 500)
          log.error("request failed", { path: new URL(req.url).pathname, code: err.code, cause: err.cause });
        return errorResponse(err);
      }
      const id = randomUUID();
      log.error("unhandled error", { id, path: new URL(req.url).pathname, error: err });
      return errorResponse(
        new AppError("internal", `Something went wrong on the server. The error was logged with id ${id}.`),
      );
    }
  };
}
