import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the provider printed (its warnings and errors), for a failing test to show. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts scripts/oidc-provider.mjs (the certified oidc-provider package) as its own process on loopback and
 * stops it by its pid. Each start has new signing keys: starting it again on the same port rotates them.
 */
export async function startTestProvider(opts: {
  redirect: string[];
  accounts?: string;
  backchannel?: string;
  port?: number;
}): Promise<TestProvider> {
  const args = [path.join(__dirname, "..", "..", "scripts", "oidc-provider.mjs")];
  for (const r of opts.redirect) args.push("--redirect", r);
  if (opts.accounts) args.push("--accounts", opts.accounts);
  if (opts.backchannel) args.push("--backchannel", opts.backchannel);
  if (opts.port) args.push("--port", String(opts.port));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`oidc provider exited with ${code}: ${err}`)));
  });
  const info = JSON.parse(line) as { issuer: string; clientId: string; clientSecret: string };
  return {
    ...info,
    output: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A tiny cookie jar for driving the provider's sign-in pages over HTTP, as a browser would. */
class Jar {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * Follows the provider from its authorization URL through its development sign-in and consent pages, as
 * `login`, until it redirects to `callbackPrefix`; returns that callback URL (with code and state).
 */
export async function signInAtProvider(authorizationUrl: string, login: string, callbackPrefix: string) {
  const jar = new Jar();
  let url = authorizationUrl;
  let method: "GET" | "POST" = "GET";
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(callbackPrefix)) return url;
    const res = await fetch(url, {
      method,
      redirect: "manual",
      headers: {
        cookie: jar.header(),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body,
    });
    jar.take(res);
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url).toString();
      method = "GET";
      body = undefined;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt)
      throw new Error(`unexpected provider page (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, "&"), url).toString();
    method = "POST";
    body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
  }
  throw new Error("too many hops at the provider");
}
