// What the browser itself costs, for the upload benchmark: a bare page that does only what any upload to a
// presigned URL must do (read the bytes, MD5 them with the same hash-wasm, PUT with Content-MD5 through a CORS
// preflight, six at a time), with no app, no planning, no UI and no retries. Our engine's distance to this
// floor is what the engine costs; the floor's distance to the CLI is what the browser costs.
// With `forms`, small files go as the engine sends them: POST forms signed by the app's plan route (signed
// before the clock starts), the Content-MD5 field, the body written as bytes the way lib/upload/form-body.ts
// writes it (repeated here: this function runs in the page from its source text), `concurrency` at a time:
// the floor for our small files.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { directClient } from "./bench-common.mjs";

const require = createRequire(import.meta.url);
const hashWasm = fs.readFileSync(require.resolve("hash-wasm/dist/md5.umd.min.js"), "utf8");
const PART = 8 * 1024 * 1024;

/**
 * POST forms for `files` ({ key, size }), signed by the app's own plan route (what the engine gets), a
 * hundred a request; a form lives 15 minutes, longer than a run.
 */
async function planForms(app, bucket, files) {
  const forms = [];
  for (let i = 0; i < files.length; i += 100) {
    const r = await fetch(
      `${app.base}/api/buckets/${encodeURIComponent(bucket)}/uploads?connection=${app.connection}`,
      {
        method: "POST",
        headers: app.headers,
        body: JSON.stringify({ files: files.slice(i, i + 100), form: true }),
      },
    );
    if (r.status !== 201) throw new Error(`plan: ${r.status} ${await r.text()}`);
    for (const u of (await r.json()).uploads) {
      if (u.kind !== "form") throw new Error(`the app planned ${u.kind} for ${u.key}, not a form`);
      forms.push(u);
    }
  }
  return forms;
}

/** Runs in the page: `jobs` name a picked file (by its relative path) and a byte range, each with its URL. */
async function pageUpload({ jobs, concurrency }) {
  const input = document.getElementById("bench-files");
  const byPath = new Map([...input.files].map((f) => [f.webkitRelativePath || f.name, f]));
  const hasher = await globalThis.hashwasm.createMD5();
  const md5 = (bytes) => {
    hasher.init();
    hasher.update(bytes);
    let s = "";
    for (const b of hasher.digest("binary")) s += String.fromCharCode(b);
    return btoa(s);
  };
  const put = (url, body, contentMd5) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("content-md5", contentMd5);
      xhr.onload = () =>
        xhr.status === 200
          ? resolve(xhr.getResponseHeader("etag"))
          : reject(new Error(`${xhr.status} ${xhr.responseText}`));
      xhr.onerror = () => reject(new Error("network error"));
      xhr.send(body);
    });
  // A POST form as the engine writes it (lib/upload/form-body.ts): the fields, then the file, as bytes.
  const encoder = new TextEncoder();
  const post = (url, fields, bytes) =>
    new Promise((resolve, reject) => {
      const boundary = `----bare${Math.random().toString(16).slice(2)}${Math.random().toString(16).slice(2)}`;
      let head = "";
      for (const [k, v] of Object.entries(fields))
        head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
      head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const h = encoder.encode(head);
      const t = encoder.encode(`\r\n--${boundary}--\r\n`);
      const body = new Uint8Array(h.length + bytes.length + t.length);
      body.set(h, 0);
      body.set(bytes, h.length);
      body.set(t, h.length + bytes.length);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("content-type", `multipart/form-data; boundary=${boundary}`);
      xhr.onload = () =>
        xhr.status === 201
          ? resolve(/<ETag>([^<]+)<\/ETag>/.exec(xhr.responseText)?.[1] ?? null)
          : reject(new Error(`${xhr.status} ${xhr.responseText}`));
      xhr.onerror = () => reject(new Error("network error"));
      xhr.send(body);
    });
  const etags = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const i = next++;
        const job = jobs[i];
        const file = byPath.get(job.path);
        if (!file) throw new Error(`${job.path} was not picked (picked: ${[...byPath.keys()].slice(0, 3)}…)`);
        const blob = file.slice(job.start, job.end);
        const bytes = new Uint8Array(await blob.arrayBuffer());
        // As the engine does (lib/upload/engine-model.ts): a PUT sends the bytes read for the hash up to
        // 64 KiB and the file above, which the browser streams; a form (the benchmark's files are all small)
        // the bytes read.
        etags[i] = job.fields
          ? await post(job.url, { ...job.fields, "Content-MD5": md5(bytes) }, bytes)
          : await put(job.url, blob.size <= 64 * 1024 ? bytes : blob, md5(bytes));
      }
    }),
  );
  return etags;
}

/**
 * Uploads `source` (the 1 GiB file, or the folder of small files) to `bucket` from a bare page at `origin`;
 * resolves with the seconds from the pick to the last PUT (the multipart completion included). With `profile`
 * (a file path), the page's main thread is profiled meanwhile and the CPU profile written there.
 */
export async function bareUpload({
  browser,
  s3,
  origin,
  bucket,
  kind,
  source,
  app = null,
  forms = false,
  concurrency = 6,
  profile = null,
}) {
  const client = directClient(s3);
  // A page of the app's origin (the bucket's CORS allows it) with nothing on it; its API CSP forbids scripts.
  const page = await browser.open(`${origin}/api/health`, [], { bypassCsp: true });
  await page.waitFor(`document.readyState === "complete"`);
  await page.evaluate(hashWasm);
  await page.evaluate(
    `document.body.append(Object.assign(document.createElement("input"), { id: "bench-files", type: "file", multiple: true, webkitdirectory: ${kind === "small"} }))`,
  );

  // Signed before the clock starts: this is the browser's floor, not the app's.
  const jobs = [];
  let uploadId = null;
  const base = path.dirname(source);
  if (kind === "big") {
    const size = fs.statSync(source).size;
    const key = path.basename(source);
    ({ UploadId: uploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    ));
    for (let n = 1, start = 0; start < size; n++, start += PART) {
      const command = new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: n });
      jobs.push({
        path: key,
        start,
        end: Math.min(size, start + PART),
        url: await getSignedUrl(client, command),
      });
    }
  } else {
    const walk = (dir) =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? walk(full) : [path.relative(base, full)];
      });
    const files = walk(source).map((rel) => ({ key: rel, size: fs.statSync(path.join(base, rel)).size }));
    const signed = forms ? await planForms(app, bucket, files) : [];
    for (const [i, { key, size }] of files.entries()) {
      if (forms) {
        jobs.push({ path: key, start: 0, end: size, url: signed[i].url, fields: signed[i].fields });
        continue;
      }
      const command = new PutObjectCommand({ Bucket: bucket, Key: key });
      jobs.push({ path: key, start: 0, end: size, url: await getSignedUrl(client, command) });
    }
  }

  if (profile) {
    await page.call("Profiler.enable");
    await page.call("Profiler.setSamplingInterval", { interval: 1000 });
    await page.call("Profiler.start");
  }
  const start = process.hrtime.bigint();
  await page.setFiles("#bench-files", [source]);
  // The browser lists a picked folder before it fills the input.
  const picked = new Set(jobs.map((j) => j.path)).size;
  await page.waitFor(`document.getElementById("bench-files").files.length === ${picked}`);
  const etags = await page.evaluate(`(${pageUpload.toString()})(${JSON.stringify({ jobs, concurrency })})`);
  if (uploadId) {
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: jobs[0].path,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (profile) fs.writeFileSync(profile, JSON.stringify((await page.call("Profiler.stop")).profile));
  await page.close();
  return seconds;
}
