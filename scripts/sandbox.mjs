#!/usr/bin/env node
// `npm run sandbox`: the same local S3 server the tests use (Ceph RGW on loopback), for trying the app
// without an OBS account. Prints the connection to add, runs until Ctrl-C, then stops its daemons.
// Data lives in memory (memstore): it is gone when the sandbox stops.
import { startS3Server, stopS3Server } from "./s3-server.mjs";
import { ensureSystemPackages } from "./system-packages.mjs";

const port = Number(process.env.SANDBOX_PORT ?? 9000);
ensureSystemPackages({ chromium: false, ceph: true });
const s3 = await startS3Server({ port });
process.stdout.write(`
Local S3 server (Ceph RGW) is running.

Add it on the Access keys page as a connection:
  Provider            S3-compatible
  Endpoint            ${s3.endpoint}
  Addressing          path-style
  Region              ${s3.region}
  Access key ID       ${s3.accessKeyId}
  Secret access key   ${s3.secretAccessKey}

The app refuses private and loopback endpoints unless it runs with ALLOW_PRIVATE_ENDPOINTS=true
(for example: ALLOW_PRIVATE_ENDPOINTS=true npm start).
Data is kept in memory and is gone when the sandbox stops. Press Ctrl-C to stop.
`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stopS3Server(s3.dir);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
