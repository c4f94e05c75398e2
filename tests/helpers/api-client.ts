import { findApiRoutes, loadHandlers, matchRoute, type Method } from "./api-routes";
import { testS3, type TestS3 } from "./s3";

export const APP_ORIGIN = "http://app.test";

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls our route handlers in-process, exactly as Next would (a Request in, a Response out), with a cookie
 * jar for the session. Integration tests use it against a real SQLite file and a real S3 server.
 */
export class TestClient {
  cookie: string | undefined;
  address = "198.51.100.7";
  origin: string | null = APP_ORIGIN;
  /** Aborts the next requests, as a browser that goes away would. */
  signal: AbortSignal | undefined;
  private readonly routes = findApiRoutes();
  /** Every response this client received, headers and body as text (for secret-leak checks). */
  readonly transcript: string[] = [];

  async request<T = unknown>(
    method: Method,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const url = new URL(path, APP_ORIGIN);
    const match = matchRoute(this.routes, url.pathname);
    if (!match) throw new Error(`no route for ${path}`);
    const handler = loadHandlers(match.route)[method];
    if (!handler) return { status: 405, body: null as T, headers: new Headers() };
    const headers: Record<string, string> = { host: url.host, "x-obm-client-address": this.address };
    if (this.origin) headers.origin = this.origin;
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers["content-type"] = "application/json";
    Object.assign(headers, extraHeaders);
    const req = new Request(url, {
      method,
      headers,
      ...(this.signal ? { signal: this.signal } : {}),
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const res = await handler(req, { params: Promise.resolve(match.params) });
    // Only the session cookie is kept (other cookies, such as a sign-in attempt's, are read from headers).
    for (const setCookie of res.headers.getSetCookie()) {
      const [pair] = setCookie.split(";");
      if (!pair?.startsWith("obm_session=") && !pair?.startsWith("__Host-obm_session=")) continue;
      this.cookie = /=.+/.test(pair) && !/Max-Age=0/.test(setCookie) ? pair : undefined;
    }
    const text = await res.text();
    this.transcript.push(
      `${method} ${path} ${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${text}`,
    );
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    return {
      status: res.status,
      body: (isJson && text ? JSON.parse(text) : text || null) as T,
      headers: res.headers,
    };
  }

  get<T = unknown>(path: string) {
    return this.request<T>("GET", path);
  }
  post<T = unknown>(path: string, body: unknown = {}) {
    return this.request<T>("POST", path, body);
  }
  put<T = unknown>(path: string, body: unknown = {}) {
    return this.request<T>("PUT", path, body);
  }
  patch<T = unknown>(path: string, body: unknown = {}) {
    return this.request<T>("PATCH", path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>("DELETE", path);
  }
}

export const ADMIN = { username: "admin", password: "correct horse battery staple" };

/** A fresh client signed in as the first administrator (creating it on first use in a test file). */
export async function adminClient(): Promise<TestClient> {
  const c = new TestClient();
  const r = await c.post("/api/auth/setup", ADMIN);
  if (r.status === 201) return c;
  const login = await c.post("/api/auth/login", ADMIN);
  if (login.status !== 200) throw new Error(`admin sign-in failed: ${JSON.stringify(login.body)}`);
  return c;
}

/** Creates a user through the admin API and returns a client signed in as them. */
export async function userClient(
  admin: TestClient,
  username: string,
  password = "another long password",
): Promise<TestClient> {
  const created = await admin.post("/api/users", { username, password });
  if (created.status !== 201) throw new Error(`create user failed: ${JSON.stringify(created.body)}`);
  const c = new TestClient();
  const r = await c.post("/api/auth/login", { username, password });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return c;
}

/** Saves a path-style connection to the test RGW (or `endpoint`) for this client; returns its id. */
export async function addRgwConnection(
  c: TestClient,
  opts: { keys?: TestS3; endpoint?: string; name?: string } = {},
): Promise<string> {
  const keys = opts.keys ?? testS3();
  const r = await c.post<{ id: string }>("/api/connections", {
    name: opts.name ?? `rgw-${Math.random().toString(36).slice(2, 10)}`,
    provider: "s3",
    region: keys.region,
    endpoint: opts.endpoint ?? keys.endpoint,
    addressing: "path",
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
  });
  if (r.status !== 201) throw new Error(`connection failed: ${JSON.stringify(r.body)}`);
  return r.body.id;
}
