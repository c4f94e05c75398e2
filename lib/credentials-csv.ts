import Papa from "papaparse";

// Reads the credentials.csv that Huawei's console downloads once when an access key is created
// ("User Name,Access Key Id,Secret Access Key" and one row), and AWS's variants ("User name,Access key ID,
// Secret access key", with or without more columns). Used by the page (for a preview) and the server.

export const MAX_CSV_BYTES = 64 * 1024;

export interface CsvCredential {
  userName: string | null;
  accessKeyId: string;
  secretAccessKey: string;
}

export type CsvProblem = "empty" | "too_large" | "no_key_columns" | "no_rows" | "bad_row" | "several_rows";

export type CsvResult =
  | { ok: true; credential: CsvCredential }
  | { ok: false; problem: CsvProblem; message: string; found?: string[] };

const normalise = (h: string) =>
  h
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");

export function parseCredentialsCsv(text: string): CsvResult {
  if (text.length > MAX_CSV_BYTES) {
    return {
      ok: false,
      problem: "too_large",
      message: "This file is too large to be a credentials.csv (those are well under 1 KiB).",
    };
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const rows = parsed.data.filter((r) => r.some((cell) => cell.trim() !== ""));
  const header = rows[0];
  if (!header) return { ok: false, problem: "empty", message: "The file is empty." };

  const cols = header.map(normalise);
  const akCol = cols.indexOf("accesskeyid");
  const skCol = cols.indexOf("secretaccesskey");
  const userCol = cols.indexOf("username");
  if (akCol < 0 || skCol < 0) {
    return {
      ok: false,
      problem: "no_key_columns",
      message:
        'The file has no "Access Key Id" and "Secret Access Key" columns. Use the credentials.csv downloaded when the access key was created.',
      found: header.map((h) => h.replace(/^\uFEFF/, "").trim()).slice(0, 10),
    };
  }
  const data = rows.slice(1);
  if (data.length === 0) {
    return {
      ok: false,
      problem: "no_rows",
      message: "The file has the column names but no access key under them.",
    };
  }
  if (data.length > 1) {
    return {
      ok: false,
      problem: "several_rows",
      message: `The file holds ${data.length} rows; a credentials.csv holds one access key. Import one key at a time.`,
    };
  }
  const row = data[0]!;
  const accessKeyId = (row[akCol] ?? "").trim();
  const secretAccessKey = (row[skCol] ?? "").trim();
  if (!/^[A-Za-z0-9+/=._-]{3,128}$/.test(accessKeyId) || !/^\S{1,256}$/.test(secretAccessKey)) {
    return {
      ok: false,
      problem: "bad_row",
      message:
        "The access key row is incomplete or malformed: the key ID or the secret is missing or has spaces.",
    };
  }
  const userName = userCol >= 0 ? (row[userCol] ?? "").trim() || null : null;
  return { ok: true, credential: { userName, accessKeyId, secretAccessKey } };
}
