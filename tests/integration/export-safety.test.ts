import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { createTestBucket, listKeys, removeTestBucket, seedObjects } from "../helpers/s3";

// A folder's links exported as a curl script and as CSV, for keys chosen to hurt: shell syntax, quotes, a
// newline, "." and ".." segments, empty segments, a spreadsheet formula. The script is run (with a stand-in
// curl that writes what it would download): nothing in a key runs, and nothing lands outside the folder.

const NASTY = [
  "ds/a/../../escape.txt",
  "ds//double/x.txt",
  "ds/./dot.txt",
  "ds/$(touch PWNED)",
  "ds/`touch PWNED2`",
  "ds/x; touch PWNED3",
  "ds/it's.txt",
  "ds/new\nline\ntouch PWNED4.txt",
  '=HYPERLINK("http://evil.example","x")',
  "ds/..",
];

let admin: TestClient;
let conn: string;
let bucket: string;

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin);
  bucket = await createTestBucket();
  await seedObjects(
    bucket,
    NASTY.map((k) => [k, `body of ${k}`]),
  );
});
afterAll(() => removeTestBucket(bucket).catch(() => undefined));

async function exportOf(prefix: string, format: "sh" | "csv") {
  const link = await admin.post<{ link: { id: string } }>(
    `/api/buckets/${bucket}/presign?connection=${conn}`,
    {
      prefix,
      method: "GET",
      expiresIn: 600,
    },
  );
  expect(link.status).toBe(201);
  const r = await admin.get<string>(`/api/links/${link.body.link.id}/export?format=${format}`);
  expect(r.status).toBe(200);
  return r.body;
}

describe("exports of keys chosen to hurt", () => {
  it("the store holds them as given", async () => {
    expect((await listKeys(bucket)).sort()).toEqual([...NASTY].sort());
  });

  it("a curl script runs nothing from a key and writes only below its folder", async () => {
    const script = await exportOf("ds/", "sh");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "obm-export-"));
    const work = path.join(root, "inside", "here");
    const bin = path.join(root, "bin");
    fs.mkdirSync(work, { recursive: true });
    fs.mkdirSync(bin);
    // A stand-in curl: writes the URL it was given to the file named by -o.
    fs.writeFileSync(
      path.join(bin, "curl"),
      '#!/bin/sh\nout=""; url=""\nwhile [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2;; -*) shift;; *) url="$1"; shift;; esac; done\nprintf "%s" "$url" > "$out"\n',
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(root, "script.sh"), script);
    const run = spawnSync("sh", [path.join(root, "script.sh")], {
      cwd: work,
      env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` },
      encoding: "utf8",
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });

    const written: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else written.push(path.relative(root, p));
      }
    };
    walk(root);
    const downloads = written.filter((f) => f.startsWith(path.join("inside", "here")));
    expect(written.filter((f) => !f.startsWith(path.join("inside", "here"))).sort()).toEqual([
      "bin/curl",
      "script.sh",
    ]);
    for (const name of ["PWNED", "PWNED2", "PWNED3"]) {
      expect(fs.existsSync(path.join(work, name))).toBe(false);
    }
    // Every key of the folder was downloaded, each to its own file, with its own link.
    expect(downloads).toHaveLength(NASTY.filter((k) => k.startsWith("ds/")).length);
    const urls = downloads.map((f) => fs.readFileSync(path.join(root, f), "utf8"));
    expect(new Set(urls).size).toBe(downloads.length);
    expect(downloads.map((f) => path.relative(path.join("inside", "here"), f)).sort()).toEqual(
      [
        "$(touch PWNED)",
        "%2E%2E",
        "%2E/dot.txt",
        "`touch PWNED2`",
        "a/%2E%2E/%2E%2E/escape.txt",
        "double/x.txt",
        "it's.txt",
        "new%0Aline%0Atouch PWNED4.txt",
        "x; touch PWNED3",
      ].sort(),
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("CSV neutralises a formula in a key", async () => {
    const csv = await exportOf("", "csv");
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const formula = rows.find((r) => r.key?.includes("HYPERLINK"));
    expect(formula?.key).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(rows.find((r) => r.key === "ds/it's.txt")).toBeTruthy();
  });
});
