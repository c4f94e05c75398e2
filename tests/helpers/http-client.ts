import type { ApiResult } from "./api-client";

/**
 * Calls a running app over real HTTP (the e2e server, or a load balancer in front of several), keeping the
 * session cookie as a browser would and sending the app's Origin on every request.
 */
export class HttpClient {
  cookie: string | undefined;
  constructor(
    readonly base: string,
    readonly origin = base,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const h: Record<string, string> = { origin: this.origin, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    for (const setCookie of res.headers.getSetCookie()) {
      const [pair] = setCookie.split(";");
      if (!pair?.startsWith("obm_session=") && !pair?.startsWith("__Host-obm_session=")) continue;
      this.cookie = /=.+/.test(pair) && !/Max-Age=0/.test(setCookie) ? pair : undefined;
    }
    const text = await res.text();
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    return {
      status: res.status,
      body: (isJson && text ? JSON.parse(text) : text || null) as T,
      headers: res.headers,
    };
  }

  /** `on`: pin the request to one instance behind the test load balancer. */
  get<T = unknown>(path: string, on?: number) {
    return this.request<T>("GET", path, undefined, pinned(on));
  }
  post<T = unknown>(path: string, body: unknown = {}, on?: number) {
    return this.request<T>("POST", path, body, pinned(on));
  }
}

const pinned = (on?: number): Record<string, string> =>
  on === undefined ? {} : { "x-test-upstream": String(on) };
