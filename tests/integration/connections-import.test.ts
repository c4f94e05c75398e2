import { adminClient, TestClient } from "../helpers/api-client";
import { testS3 } from "../helpers/s3";

interface Conn {
  id: string;
  name: string;
  accessKeyIdMasked: string;
}

describe("importing credentials.csv", () => {
  let admin: TestClient;
  const count = async () =>
    (await admin.get<{ connections: Conn[] }>("/api/connections")).body.connections.length;

  beforeAll(async () => {
    admin = await adminClient();
  });

  it("creates a working connection from Huawei's file (BOM, CRLF, quotes)", async () => {
    const s3 = testS3();
    const csv = `\uFEFF"User Name","Access Key Id","Secret Access Key"\r\n"ml-user","${s3.accessKeyId}","${s3.secretAccessKey}"\r\n`;
    const r = await admin.post<Conn>("/api/connections/import", {
      csv,
      provider: "s3",
      region: s3.region,
      endpoint: s3.endpoint,
      addressing: "path",
    });
    expect(r.status).toBe(201);
    expect(r.body.name).toBe(`ml-user (${s3.region})`);
    expect(JSON.stringify(r.body)).not.toContain(s3.secretAccessKey);
    const t = await admin.post<{ ok: boolean }>(`/api/connections/${r.body.id}/test`, {});
    expect(t.body.ok).toBe(true);
    // The same file again gets a distinct default name instead of a conflict.
    const again = await admin.post<Conn>("/api/connections/import", {
      csv,
      provider: "s3",
      region: s3.region,
      endpoint: s3.endpoint,
    });
    expect(again.body.name).toBe(`ml-user (${s3.region}) 2`);
  });

  it.each([
    ["", "csv: The file is empty.", "empty"],
    [
      "name,email\nada,ada@example.com\n",
      /^csv: The file has no "Access Key Id" and "Secret Access Key" columns/,
      "no_key_columns",
    ],
    [
      "User Name,Access Key Id,Secret Access Key\n",
      /^csv: The file has the column names but no access key/,
      "no_rows",
    ],
  ])(
    "refuses a malformed file (%j) saying what is wrong, and stores nothing",
    async (csv, message, problem) => {
      const before = await count();
      const r = await admin.post<{ error: { message: string; details: { problem: string } } }>(
        "/api/connections/import",
        { csv, region: "cn-north-4" },
      );
      expect(r.status).toBe(400);
      expect(r.body.error.message).toEqual(
        typeof message === "string" ? message : expect.stringMatching(message),
      );
      expect(r.body.error.details.problem).toBe(problem);
      expect(await count()).toBe(before);
    },
  );

  it("refuses a 10 MB file with 413 naming the body, and stores nothing", async () => {
    const before = await count();
    const big = `User Name,Access Key Id,Secret Access Key\n${"u,AKIAEXAMPLE0000,secret\n".repeat(440_000)}`;
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const r = await admin.post<{ error: { code: string; message: string } }>("/api/connections/import", {
      csv: big,
      region: "cn-north-4",
    });
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/^body: must be at most \d+ bytes$/);
    expect(await count()).toBe(before);
  });

  it("refuses a file over 64 KiB that fits the body limit, naming the csv field", async () => {
    const r = await admin.post<{ error: { message: string } }>("/api/connections/import", {
      csv: "x".repeat(70 * 1024),
      region: "cn-north-4",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^csv: must be at most 64 KiB/);
  });
});
