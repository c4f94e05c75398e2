// A lean Chromium for the benchmarks: the DevTools protocol over a pipe, with only the calls a benchmark
// needs (open a page, set a cookie, pick files, read the page). Playwright enables the Network domain on
// every page, so each request the page makes is also reported to the driver; for an upload of 2,000 small
// files that costs about a third of the browser's CPU on this machine (measured: raw presigned PUTs from the
// page went from 267 files/s to 182 files/s). A user's browser has no DevTools attached, so the upload
// benchmark measures the page the way the user runs it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Starts Debian's Chromium, headless, driven through `--remote-debugging-pipe`. */
export async function launchLeanChromium(extraArgs = []) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-chromium-"));
  const child = spawn(
    process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--remote-debugging-pipe",
      `--user-data-dir=${profile}`,
      ...extraArgs,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const toBrowser = child.stdio[3];
  const fromBrowser = child.stdio[4];
  let nextId = 1;
  const pending = new Map();
  const eventWaiters = new Set();
  let buffer = "";
  fromBrowser.setEncoding("utf8");
  fromBrowser.on("data", (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id === undefined) {
        // An event: only the ones a caller waits for (`once`) are kept.
        for (const w of [...eventWaiters])
          if (w.method === message.method && w.sessionId === message.sessionId) {
            eventWaiters.delete(w);
            w.resolve(message.params);
          }
        continue;
      }
      const waiter = pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error("Chromium exited"));
  });

  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });

  return {
    pid: child.pid,
    /** A new tab with `cookies` set for `url`, showing `url`; `bypassCsp` ignores the page's CSP. */
    async open(url, cookies = [], { bypassCsp = false } = {}) {
      if (cookies.length > 0)
        await send("Storage.setCookies", { cookies: cookies.map((c) => ({ ...c, url })) });
      const { targetId } = await send("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
      const call = (method, params) => send(method, params, sessionId);
      const evaluate = async (expression) => {
        const r = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
        if (r.exceptionDetails) {
          const why = r.exceptionDetails.exception?.description ?? r.exceptionDetails.text;
          throw new Error(`${expression.slice(0, 120)}…: ${why}`);
        }
        return r.result.value;
      };
      if (bypassCsp) await call("Page.setBypassCSP", { enabled: true });
      await call("Page.navigate", { url });
      return {
        /** Any other DevTools call on this tab (a profiler, say). */
        call,
        /** Resolves with the params of the next `method` event of this tab. */
        once: (method) => new Promise((resolve) => eventWaiters.add({ method, sessionId, resolve })),
        evaluate,
        /** Resolves once `expression` is truthy in the page (checked every 100 ms). */
        async waitFor(expression, timeoutMs = 60_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            if (await evaluate(expression).catch(() => false)) return;
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
        /** Gives `paths` to the file input that `selector` finds, as a user's pick would. */
        async setFiles(selector, paths) {
          const { result } = await call("Runtime.evaluate", {
            expression: `document.querySelector(${JSON.stringify(selector)})`,
          });
          if (!result.objectId) throw new Error(`no element ${selector}`);
          await call("DOM.setFileInputFiles", { objectId: result.objectId, files: paths });
        },
        close: () => send("Target.closeTarget", { targetId }),
      };
    },
    async close() {
      if (child.exitCode === null) {
        await send("Browser.close").catch(() => {});
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
