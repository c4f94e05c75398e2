// What a small file's request body costs Chromium, for the upload engine's choice of body
// (lib/upload/engine-model.ts, FORM_BYTES_MAX): picked files of a few sizes, each read and hashed as the engine
// does, then sent by XMLHttpRequest as
//   put-bytes   a PUT of the bytes read (from memory)
//   put-file    a PUT of the picked file itself (the browser streams it)
//   form-bytes  a POST form written into one buffer with the bytes read (lib/upload/form-body.ts)
//   form-blob   a POST form as a Blob of the fields, the picked file and the end
// and, to see whether the engine should send its requests some other way:
//   put-file-fetch, form-bytes-fetch   the same with fetch() instead of XMLHttpRequest
//   form-bytes-worker                  form-bytes-fetch run in a dedicated worker (off the main thread)
// to a sink on loopback that reads the body and answers as the store does: the browser's own cost, without
// a store's. Prints the seconds and the CPU seconds of the page's main thread (the thread that runs the
// engine and the UI, and the limit once the network allows many requests at once) and of all of Chromium,
// best of BENCH_ROUNDS (3), and each body's ratio to the engine's choice for that size. Asserts nothing.
//
//   npm run bench:bodies        BENCH_FILES=600 per size, BENCH_SIZES=60000,131072,524288, BENCH_CONCURRENCY=6,
//                               BENCH_BODIES=put-file,form-bytes (some only), BENCH_THREADS=1 (CPU by thread)
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { launchLeanChromium } from "./bench-cdp.mjs";
import { cpuSeconds } from "./bench-common.mjs";

const FILES = Number(process.env.BENCH_FILES ?? 600);
const SIZES = (process.env.BENCH_SIZES ?? "60000,131072,524288").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const FORM_BYTES_MAX = 256 * 1024; // as lib/upload/engine-model.ts
const ALL_BODIES = [
  "put-bytes",
  "put-file",
  "form-bytes",
  "form-blob",
  "put-file-fetch",
  "form-bytes-fetch",
  "form-bytes-worker",
];
const THREADS = process.env.BENCH_THREADS === "1";
const BODIES = process.env.BENCH_BODIES ? process.env.BENCH_BODIES.split(",") : ALL_BODIES;

/**
 * CPU seconds of every thread of this Chromium, keyed "process type/thread name" (a process's main thread
 * is "main"): BENCH_THREADS=1 prints which of them a body's requests keep busy.
 */
function threadCpu(browserPid) {
  const parent = new Map();
  const type = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8");
      const t = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? "browser";
      const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
      type.set(Number(d), sub ? sub.split(".").at(-1) : t);
    } catch {
      // the process ended meanwhile
    }
  }
  const out = new Map();
  for (const [pid] of type) {
    let p = pid;
    while (p > 1 && p !== browserPid) p = parent.get(p) ?? 0;
    if (p !== browserPid) continue;
    let tasks = [];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const st = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const comm = st.slice(st.indexOf("(") + 1, st.lastIndexOf(")")).replace(/\d+$/, "");
        const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
        const key = `${type.get(pid)}/${Number(tid) === pid ? "main" : comm}`;
        out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
      } catch {
        // ended meanwhile
      }
    }
  }
  return out;
}

/** CPU seconds of the main threads of this Chromium's renderers (a main thread has its process's id). */
const rendererMainCpu = (browserPid) => threadCpu(browserPid).get("renderer/main") ?? 0;

/** Runs in the page: sends every picked file with `body`, `concurrency` at a time. */
async function pageSend({ url, body, concurrency }) {
  const files = [...document.getElementById("picked").files];
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--b\r\nContent-Disposition: form-data; name="key"\r\n\r\n${"k".repeat(400)}\r\n`,
  );
  const tail = encoder.encode("\r\n--b--\r\n");
  const viaFetch = body.endsWith("-fetch");
  const send = (method, data, type) =>
    viaFetch
      ? fetch(url, { method, body: data, headers: type ? { "content-type": type } : {} }).then(async (r) => {
          await r.text();
          if (r.status >= 300) throw new Error(`${r.status}`);
        })
      : new Promise((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open(method, url);
          if (type) xhr.setRequestHeader("content-type", type);
          xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`${xhr.status}`)));
          xhr.onerror = () => reject(new Error("network error"));
          xhr.send(data);
        });
  if (body.endsWith("-worker")) {
    // The same loop as form-bytes-fetch, run in a dedicated worker: the requests' loader work is then
    // the worker thread's, not the page's main thread's.
    const code = `onmessage = async ({ data: { files, url, concurrency, head, tail } }) => {
      let next = 0;
      const start = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < files.length) {
          const bytes = new Uint8Array(await files[next++].arrayBuffer());
          const framed = new Uint8Array(head.length + bytes.length + tail.length);
          framed.set(head, 0); framed.set(bytes, head.length); framed.set(tail, head.length + bytes.length);
          const r = await fetch(url, { method: "POST", body: framed, headers: { "content-type": "multipart/form-data; boundary=b" } });
          await r.text();
        }
      }));
      postMessage((performance.now() - start) / 1000);
    };`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    const seconds = await new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.postMessage({ files, url, concurrency, head, tail });
    });
    worker.terminate();
    return seconds;
  }
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) {
        const file = files[next++];
        const bytes = new Uint8Array(await file.arrayBuffer()); // read for the hash, as the engine does
        if (body === "put-bytes") await send("PUT", bytes);
        else if (body.startsWith("put-file")) await send("PUT", file);
        else if (body === "form-blob")
          await send("POST", new Blob([head, file, tail]), "multipart/form-data; boundary=b");
        else {
          const framed = new Uint8Array(head.length + bytes.length + tail.length);
          framed.set(head, 0);
          framed.set(bytes, head.length);
          framed.set(tail, head.length + bytes.length);
          await send("POST", framed, "multipart/form-data; boundary=b");
        }
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

const sink = http.createServer((req, res) => {
  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "PUT, POST",
    "access-control-allow-headers": "*",
    "access-control-max-age": "600",
  };
  if (req.method === "OPTIONS") return res.writeHead(200, cors).end();
  req.resume();
  req.on("end", () => res.writeHead(req.method === "POST" ? 201 : 200, cors).end());
});
const pageServer = http.createServer((_, res) =>
  res.writeHead(200, { "content-type": "text/html" }).end("<p>"),
);
const listen = (s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)));
const sinkPort = await listen(sink);
const pagePort = await listen(pageServer);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-bench-bodies-"));
const browser = await launchLeanChromium();
try {
  for (const size of SIZES) {
    const sub = path.join(dir, String(size));
    fs.mkdirSync(sub);
    for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(sub, `f${i}.bin`), randomBytes(size));
    // Another origin than the page's (localhost, not 127.0.0.1): cross-origin requests, as to a store.
    const page = await browser.open(`http://127.0.0.1:${pagePort}/`);
    await page.waitFor(`document.readyState === "complete"`);
    await page.evaluate(
      `document.body.append(Object.assign(document.createElement("input"), { id: "picked", type: "file", webkitdirectory: true }))`,
    );
    await page.setFiles("#picked", [sub]);
    await page.waitFor(`document.getElementById("picked").files.length === ${FILES}`);
    const best = {};
    for (let round = 0; round <= ROUNDS; round++) {
      for (const body of BODIES) {
        const threads = THREADS ? threadCpu(browser.pid) : null;
        const before = { main: rendererMainCpu(browser.pid), all: cpuSeconds([browser.pid]) };
        const args = { url: `http://localhost:${sinkPort}/b/k`, body, concurrency: CONCURRENCY };
        const seconds = await page.evaluate(`(${pageSend.toString()})(${JSON.stringify(args)})`);
        const main = rendererMainCpu(browser.pid) - before.main;
        const all = cpuSeconds([browser.pid]) - before.all;
        if (round === 0) continue; // warm-up
        let busiest = "";
        if (threads) {
          const delta = [...threadCpu(browser.pid)].map(([k, v]) => [k, v - (threads.get(k) ?? 0)]);
          busiest = delta
            .filter(([, v]) => v >= 0.05)
            .sort((a, b) => b[1] - a[1])
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(", ");
        }
        if (!best[body] || seconds < best[body].seconds) best[body] = { seconds, main, all, busiest };
      }
    }
    await page.close();
    const ours = {
      put: best["put-file"] ?? best[BODIES[0]],
      form: best[size <= FORM_BYTES_MAX ? "form-bytes" : "form-blob"] ?? best[BODIES[0]],
    };
    process.stdout.write(`${FILES} files of ${size.toLocaleString("en-US")} bytes, best of ${ROUNDS}:\n`);
    for (const body of BODIES) {
      const b = best[body];
      const ref = body.startsWith("put") ? ours.put : ours.form;
      process.stdout.write(
        `  ${body.padEnd(10)} ${b.seconds.toFixed(2)} s (${(b.seconds / ref.seconds).toFixed(2)}× the engine's), page main thread ${b.main.toFixed(1)} s CPU, Chromium ${b.all.toFixed(1)} s\n` +
          (b.busiest ? `    threads: ${b.busiest}\n` : ""),
      );
    }
  }
} finally {
  await browser.close();
  sink.close();
  pageServer.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
