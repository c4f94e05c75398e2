// What a small file's request body costs Chromium, for the upload engine's choice of body
// (lib/upload/engine-model.ts, FORM_BYTES_MAX): picked files of a few sizes, each read and hashed as the engine
// does, then sent by XMLHttpRequest as
//   put-bytes   a PUT of the bytes read (from memory)
//   put-file    a PUT of the picked file itself (the browser streams it)
//   form-bytes  a POST form written into one buffer with the bytes read (lib/upload/form-body.ts)
//   form-blob   a POST form as a Blob of the fields, the picked file and the end
// to a sink on loopback that reads the body and answers as the store does: the browser's own cost, without
// a store's. Prints the seconds and the CPU seconds of the page's main thread (the thread that runs the
// engine and the UI, and the limit once the network allows many requests at once) and of all of Chromium,
// best of BENCH_ROUNDS (3), and each body's ratio to the engine's choice for that size. Asserts nothing.
//
//   npm run bench:bodies        BENCH_FILES=600 per size, BENCH_SIZES=60000,131072,524288, BENCH_CONCURRENCY=6
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
const BODIES = ["put-bytes", "put-file", "form-bytes", "form-blob"];

/** CPU seconds of the main threads of this Chromium's renderers (a main thread has its process's id). */
function rendererMainCpu(browserPid) {
  const parent = new Map();
  const renderers = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      if (fs.readFileSync(`/proc/${d}/cmdline`, "utf8").includes("--type=renderer"))
        renderers.push(Number(d));
    } catch {
      // the process ended meanwhile
    }
  }
  let sum = 0;
  for (const pid of renderers) {
    let p = pid; // renderers start from the zygote: any ancestor may be the browser
    while (p > 1 && p !== browserPid) p = parent.get(p) ?? 0;
    if (p !== browserPid) continue;
    try {
      const thread = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
      const t = thread.slice(thread.lastIndexOf(")") + 2).split(" ");
      sum += (Number(t[11]) + Number(t[12])) / 100; // utime + stime, in clock ticks of 10 ms
    } catch {
      // ended meanwhile
    }
  }
  return sum;
}

/** Runs in the page: sends every picked file with `body`, `concurrency` at a time. */
async function pageSend({ url, body, concurrency }) {
  const files = [...document.getElementById("picked").files];
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--b\r\nContent-Disposition: form-data; name="key"\r\n\r\n${"k".repeat(400)}\r\n`,
  );
  const tail = encoder.encode("\r\n--b--\r\n");
  const send = (method, data, type) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      if (type) xhr.setRequestHeader("content-type", type);
      xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`${xhr.status}`)));
      xhr.onerror = () => reject(new Error("network error"));
      xhr.send(data);
    });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) {
        const file = files[next++];
        const bytes = new Uint8Array(await file.arrayBuffer()); // read for the hash, as the engine does
        if (body === "put-bytes") await send("PUT", bytes);
        else if (body === "put-file") await send("PUT", file);
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
        const before = { main: rendererMainCpu(browser.pid), all: cpuSeconds([browser.pid]) };
        const args = { url: `http://localhost:${sinkPort}/b/k`, body, concurrency: CONCURRENCY };
        const seconds = await page.evaluate(`(${pageSend.toString()})(${JSON.stringify(args)})`);
        const main = rendererMainCpu(browser.pid) - before.main;
        const all = cpuSeconds([browser.pid]) - before.all;
        if (round === 0) continue; // warm-up
        if (!best[body] || seconds < best[body].seconds) best[body] = { seconds, main, all };
      }
    }
    await page.close();
    const ours = { put: best["put-file"], form: best[size <= FORM_BYTES_MAX ? "form-bytes" : "form-blob"] };
    process.stdout.write(`${FILES} files of ${size.toLocaleString("en-US")} bytes, best of ${ROUNDS}:\n`);
    for (const body of BODIES) {
      const b = best[body];
      const ref = body.startsWith("put") ? ours.put : ours.form;
      process.stdout.write(
        `  ${body.padEnd(10)} ${b.seconds.toFixed(2)} s (${(b.seconds / ref.seconds).toFixed(2)}× the engine's), page main thread ${b.main.toFixed(1)} s CPU, Chromium ${b.all.toFixed(1)} s\n`,
      );
    }
  }
} finally {
  await browser.close();
  sink.close();
  pageServer.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
