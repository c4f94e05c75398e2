// Debian's nginx as a TLS front before the store, speaking HTTP/2 to clients (as OBS and most S3 services
// do) and HTTP/1.1 to RGW behind it. Its certificate is made here for 127.0.0.1; Node trusts it through
// NODE_EXTRA_CA_CERTS, Chromium through --ignore-certificate-errors-spki-list (its key's hash), the AWS CLI
// through AWS_CA_BUNDLE and rclone through --ca-cert. It sends Timing-Allow-Origin so a page can read the
// protocol from resource timing. Used by the HTTP/2 e2e test and `BENCH_H2=1 npm run bench:upload`.
//
//   node scripts/tls-front.mjs --target http://127.0.0.1:7480
//
// prints {"endpoint", "certFile", "chromiumFlag", "pid"} and runs until stopped (SIGTERM, by its pid).
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startNginx } from "./nginx.mjs";
import { freePort } from "./s3-server.mjs";
import { ensureSystemPackages } from "./system-packages.mjs";

/** @param {string} target the store (http://host:port) */
export async function startTlsFront(target) {
  ensureSystemPackages({ chromium: false, ceph: false, nginx: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-tls-front-"));
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ],
    { stdio: "ignore" },
  );
  const spki = new X509Certificate(fs.readFileSync(certFile)).publicKey.export({
    type: "spki",
    format: "der",
  });
  const port = await freePort();
  const upstream = new URL(target).host;
  const nginx = await startNginx({
    dir,
    port,
    http: `  upstream store { server ${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    http2_max_concurrent_streams 128;
    # nginx ends a connection after 1,000 requests by default: the likely cause of the bench's bare page
    # (which has no retries) failing with "network error" in 2 of about 10 HTTP/2 runs.
    keepalive_requests 1000000;
    # Each upload stream may have this much on the way before nginx opens its window (64k by default,
    # which holds a stream to 64 KiB per round trip: 1.6 MB/s at 40 ms).
    http2_body_preread_size 4m;
    client_max_body_size 0;
    location / {
      proxy_pass http://store;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_request_buffering off;
      proxy_buffering off;
      add_header Timing-Allow-Origin "*" always;
    }
  }`,
  });
  return {
    endpoint: `https://127.0.0.1:${port}`,
    certFile,
    chromiumFlag: `--ignore-certificate-errors-spki-list=${createHash("sha256").update(spki).digest("base64")}`,
    stop: nginx.stop,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--target");
  if (i < 0) {
    process.stderr.write("usage: tls-front.mjs --target http://host:port\n");
    process.exit(2);
  }
  const front = await startTlsFront(process.argv[i + 1]);
  process.stdout.write(
    `${JSON.stringify({ endpoint: front.endpoint, certFile: front.certFile, chromiumFlag: front.chromiumFlag, pid: process.pid })}\n`,
  );
  process.on("SIGTERM", () => void front.stop().then(() => process.exit(0)));
}
