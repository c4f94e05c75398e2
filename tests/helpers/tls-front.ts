import { spawn } from "node:child_process";
import path from "node:path";

// The TLS/HTTP/2 front of scripts/tls-front.mjs (Debian's nginx before the store), run as its own process
// and stopped by its pid.

export interface TlsFront {
  endpoint: string;
  /** The certificate file (PEM), for NODE_EXTRA_CA_CERTS. */
  certFile: string;
  /** The flag that makes Chromium trust the certificate. */
  chromiumFlag: string;
  stop: () => Promise<void>;
}

export async function startTlsFront(target: string): Promise<TlsFront> {
  const child = spawn(
    process.execPath,
    [path.join(process.cwd(), "scripts", "tls-front.mjs"), "--target", target],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf("\n");
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.once("exit", (code) => reject(new Error(`tls-front.mjs exited (${code})`)));
  });
  const info = JSON.parse(line) as { endpoint: string; certFile: string; chromiumFlag: string };
  return {
    ...info,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await gone;
    },
  };
}
