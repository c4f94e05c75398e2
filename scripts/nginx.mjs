// Debian's nginx, started by a script for as long as it needs it: a configuration in a directory of its
// own (pid, logs and temporary files there too, so nothing of the system's nginx is touched), in the
// foreground, stopped by its pid. Used by the TLS/HTTP/2 front before the store (tls-front.mjs) and the
// load balancer of the API benchmark (bench-api.mjs).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureSystemPackages } from "./system-packages.mjs";

/**
 * Starts nginx with `http` as the inside of its http block (upstreams and servers, listening on `port`)
 * and resolves once `port` takes connections. `dir` is made if not given and removed on stop.
 * @param {{ port: number, http: string, dir?: string }} o
 */
export async function startNginx({ port, http, dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-nginx-")) }) {
  ensureSystemPackages({ chromium: false, ceph: false, nginx: true });
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${http}
}
`,
  );
  const child = spawn("nginx", ["-p", dir, "-c", conf, "-g", "daemon off;"], { stdio: "ignore" });
  for (let i = 0; ; i++) {
    const open = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (open) break;
    if (i > 100 || child.exitCode !== null) {
      const log = fs.existsSync(path.join(dir, "error.log"))
        ? fs.readFileSync(path.join(dir, "error.log"), "utf8")
        : "(no log)";
      if (child.exitCode === null) child.kill("SIGTERM");
      throw new Error(`nginx did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dir,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
