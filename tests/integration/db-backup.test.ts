import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";

jest.setTimeout(120_000);

// `npm run db:backup FILE` while another process keeps writing: the copy opens, passes SQLite's integrity
// check and holds every row committed before the backup began, and never half of a transaction.

const root = path.join(__dirname, "..", "..");
const onPostgres = () => process.env.DATABASE_URL !== undefined;

function backup(file: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "db-backup.ts"), file],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "silent" } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

// A second process writing two audit rows per transaction (sequence n, parts a and b), as fast as it can,
// printing each committed n.
const WRITER = `
const SQLite = require(${JSON.stringify(require.resolve("better-sqlite3"))});
const db = new SQLite(process.argv[1]);
db.pragma("busy_timeout = 5000");
const put = db.prepare("insert into audit_log (id, user_id, username, action, created_at, details) values (?, 'w', 'writer', 'test.write', ?, ?)");
const pair = db.transaction((n) => { put.run("a" + n, Date.now(), String(n)); put.run("b" + n, Date.now(), String(n)); });
let n = 0;
const tick = () => { for (let i = 0; i < 20; i++) { n++; pair(n); } process.stdout.write(n + "\\n"); setImmediate(tick); };
tick();
`;

(onPostgres() ? describe.skip : describe)("online backup of the SQLite database", () => {
  it("copies a consistent snapshot while another process writes", async () => {
    const { db, databaseFile } = await import("@/lib/server/db");
    await db(); // creates and migrates the file
    let committed = 0;
    const writer = spawn(process.execPath, ["-e", WRITER, databaseFile()], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    writer.stdout.setEncoding("utf8");
    writer.stdout.on("data", (chunk: string) => {
      const last = chunk.trim().split("\n").pop();
      if (last) committed = Number(last);
    });
    try {
      while (committed < 2000) await new Promise((r) => setTimeout(r, 20));
      const before = committed;
      const file = path.join(process.env.DATA_DIR!, "copy.db");
      const r = await backup(file);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Backed up the database to .*copy\.db/);
      expect(r.stdout).toMatch(/master key/);
      expect(committed).toBeGreaterThan(before); // the writer went on meanwhile
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(`${file}.partial`)).toBe(false);

      const copy = new SQLite(file, { readonly: true });
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = copy.prepare("select id, details from audit_log where action = 'test.write'").all() as {
        id: string;
        details: string;
      }[];
      const parts = new Map<number, number>();
      for (const row of rows) parts.set(Number(row.details), (parts.get(Number(row.details)) ?? 0) + 1);
      const max = Math.max(...parts.keys());
      expect(max).toBeGreaterThanOrEqual(before);
      for (let n = 1; n <= max; n++) expect(parts.get(n)).toBe(2);
      expect(parts.size).toBe(max);
      const version = copy.prepare("select max(version) from schema_migrations").pluck().get();
      const { migrations } = await import("@/lib/server/db/migrations");
      expect(version).toBe(Math.max(...migrations.map((m) => m.version)));
      copy.close();

      // Never over an existing file.
      const again = await backup(file);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/already exists/);
    } finally {
      writer.kill();
    }
  });

  it("explains its use when no file is given", () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "db-backup.ts")],
      { cwd: root, encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Usage: npm run db:backup FILE/);
  });
});

(onPostgres() ? describe : describe.skip)("backup on PostgreSQL", () => {
  it("points to pg_dump", async () => {
    const r = await backup(path.join(process.env.DATA_DIR!, "copy.db"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pg_dump/);
  });
});
