import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";

jest.setTimeout(120_000);

// `npm run secrets:rotate` killed outright after each of its steps (as a power cut would): afterwards the
// stored secrets still open or the server refuses to start and says to run the rotation again, and running
// it again finishes the job. It refuses to run while a server uses the data directory, and the server
// refuses to start with a missing or wrong key rather than make a new one over the stored secrets.

const root = path.join(__dirname, "..", "..");
const dir = () => process.env.DATA_DIR!;
let admin: TestClient;
const ids: string[] = [];

function rotate(env: Record<string, string> = {}) {
  return spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "rotate-master-key.ts")],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "silent", ...env }, encoding: "utf8", timeout: 60_000 },
  );
}

async function fresh() {
  const { closeDb } = await import("@/lib/server/db");
  const { resetMasterKeyCache } = await import("@/lib/server/crypto/master-key");
  await closeDb();
  resetMasterKeyCache();
}

/** Every stored secret opens with the keys the server would use, and the connections still work. */
async function allOpen() {
  await fresh();
  const { checkMasterKey } = await import("@/lib/server/crypto/key-check");
  await checkMasterKey();
  for (const id of ids) {
    const t = await admin.post<{ ok: boolean }>(`/api/connections/${id}/test`, {});
    expect(t.body.ok).toBe(true);
  }
}

beforeAll(async () => {
  admin = await adminClient();
  ids.push(await addRgwConnection(admin, { name: "first" }));
  ids.push(await addRgwConnection(admin, { name: "second" }));
});

describe("a master key rotation cut at any step", () => {
  it.each(["next-key-written", "resealed", "old-key-moved", "next-key-moved"])(
    "killed after %s: the secrets stay readable, and a second run finishes",
    async (step) => {
      await fresh();
      const before = fs.readFileSync(path.join(dir(), "master.key"), "utf8");
      const cut = rotate({ OBM_ROTATE_CRASH_AFTER: step });
      expect(cut.signal).toBe("SIGKILL");

      await fresh();
      const { checkMasterKey } = await import("@/lib/server/crypto/key-check");
      if (step === "old-key-moved") {
        // master.key is gone and master.key.next holds the key: the server says what to do.
        await expect(checkMasterKey()).rejects.toThrow(/rotation was interrupted.*secrets:rotate/);
      } else {
        await allOpen();
      }

      const again = rotate();
      expect({ status: again.status, stderr: again.stderr }).toMatchObject({ status: 0 });
      expect(fs.existsSync(path.join(dir(), "master.key.next"))).toBe(false);
      const after = fs.readFileSync(path.join(dir(), "master.key"), "utf8");
      if (step !== "next-key-moved") expect(after).not.toBe(before);
      await allOpen();
      const { masterKey } = await import("@/lib/server/crypto/master-key");
      const { db } = await import("@/lib/server/db");
      const rows = await (await db()).selectFrom("connections").select("secret_sealed").execute();
      for (const r of rows) expect(r.secret_sealed.split(".")[1]).toBe(masterKey().id);
    },
  );

  it("refuses to run while a server uses the data directory", async () => {
    const server = spawn("sleep", ["30"]);
    try {
      fs.writeFileSync(path.join(dir(), "server.pid"), `${server.pid}\n`);
      const r = rotate();
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/The server is running .*Stop it first/);
      expect(fs.existsSync(path.join(dir(), "master.key.next"))).toBe(false);
    } finally {
      server.kill();
      fs.rmSync(path.join(dir(), "server.pid"), { force: true });
    }
  });
});

describe("starting with the wrong key, or none", () => {
  it("refuses, and never makes a new key over stored secrets", async () => {
    const file = path.join(dir(), "master.key");
    const saved = fs.readFileSync(file, "utf8");
    const { boot } = await import("@/lib/server/boot");
    try {
      fs.rmSync(file);
      await fresh();
      await expect(boot()).rejects.toThrow(/holds 2 encrypted secret\(s\), but .*master\.key is missing/);
      expect(fs.existsSync(file)).toBe(false);

      fs.writeFileSync(file, `${Buffer.alloc(32, 3).toString("base64")}\n`, { mode: 0o600 });
      await fresh();
      await expect(boot()).rejects.toThrow(/sealed with master key .* the configured key is/);
    } finally {
      fs.writeFileSync(file, saved, { mode: 0o600 });
      await fresh();
    }
    await boot();
    await allOpen();
  });
});
