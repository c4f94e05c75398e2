import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { tempDir } from "./temp-dir";

export interface AppServer {
  url: string;
  dataDir: string;
  /** The server's process (Next runs inside it): tests read its memory from /proc. */
  pid: number;
  /** Everything the server printed so far (stdout and stderr): tests search it for leaked secrets. */
  output: () => string;
  /** SIGTERM, then SIGKILL if it is still running after `killAfterMs` (default 5 s). */
  stop: (killAfterMs?: number) => Promise<void>;
}

const root = path.join(__dirname, "..", "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts the production build (scripts/start.mjs --no-build; scripts/test.mjs builds once before the e2e
 * run) on a free loopback port with a fresh data directory, and stops it by its own pid.
 */
export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = tempDir("obm-e2e-");
  let out = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, "scripts", "start.mjs"), "--no-build"],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        ALLOW_PRIVATE_ENDPOINTS: "true",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`app did not become healthy in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    pid: child.pid!,
    output: () => out,
    stop: async (killAfterMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
