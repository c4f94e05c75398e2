// What the browser itself costs, for the upload benchmark: a bare page that does only what any upload to a
// presigned URL must do (read the bytes, MD5 them with the same hash-wasm, PUT with Content-MD5 through a CORS
// preflight, six at a time), with no app, no planning, no UI and no retries. Our engine's distance to this
// floor is what the engine costs; the floor's distance to the CLI is what the browser costs.
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
const SMALL_IN_MEMORY = 1024 * 1024;

/** Runs in the page: `jobs` name a picked file (by its relative path) and a byte range, each with its URL. */
async function pageUpload({ jobs, concurrency, smallInMemory }) {
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
        // As the engine does: small bodies go from memory, large ones as Blobs the browser streams.
        etags[i] = await put(job.url, blob.size <= smallInMemory ? bytes : blob, md5(bytes));
      }
    }),
  );
  return etags;
}

/**
 * Uploads `source` (the 1 GiB file, or the folder of small files) to `bucket` from a bare page at `origin`;
 * resolves with the seconds from the pick to the last PUT (the multipart completion included).
 */
export async function bareUpload({ browser, s3, origin, bucket, kind, source }) {
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
    for (const rel of walk(source)) {
      const command = new PutObjectCommand({ Bucket: bucket, Key: rel });
      jobs.push({
        path: rel,
        start: 0,
        end: fs.statSync(path.join(base, rel)).size,
        url: await getSignedUrl(client, command),
      });
    }
  }

  const start = process.hrtime.bigint();
  await page.setFiles("#bench-files", [source]);
  // The browser lists a picked folder before it fills the input.
  const picked = new Set(jobs.map((j) => j.path)).size;
  await page.waitFor(`document.getElementById("bench-files").files.length === ${picked}`);
  const etags = await page.evaluate(
    `(${pageUpload.toString()})(${JSON.stringify({ jobs, concurrency: 6, smallInMemory: SMALL_IN_MEMORY })})`,
  );
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
  await page.close();
  return seconds;
}
