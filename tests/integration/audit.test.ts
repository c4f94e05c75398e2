import Papa from "papaparse";
import { addRgwConnection, adminClient, type TestClient } from "../helpers/api-client";
import { createTestBucket, removeTestBucket } from "../helpers/s3";
import { member, share } from "../helpers/sharing";

// The audit log records every change made through the API, from the route wrapper: who, from where, which
// connection, bucket and key, the action and its outcome, with counts and bytes.

type Entry = {
  id: string;
  at: string;
  username: string;
  action: string;
  result: string;
  errorCode: string | null;
  address: string | null;
  bucket: string | null;
  key: string | null;
  prefix: string | null;
  count: number | null;
  bytes: number | null;
  details: Record<string, unknown> | null;
};
type Page = { entries: Entry[]; nextCursor: string | null };

let admin: TestClient;
let conn: string;
let bucket: string;
let ursula: { client: TestClient; id: string };

beforeAll(async () => {
  admin = await adminClient();
  conn = await addRgwConnection(admin);
  bucket = await createTestBucket();
  ursula = await member(admin, "ursula");
  ursula.client.address = "203.0.113.9";
  await share(admin, conn, { type: "user", id: ursula.id }, "editor", [{ bucket, prefix: "team-a/" }]);
  const q = `connection=${conn}`;
  await ursula.client.post(`/api/buckets/${bucket}/folders?${q}`, { prefix: "team-a/", name: "raw" });
  await ursula.client.post(`/api/buckets/${bucket}/uploads/report?${q}`, {
    prefix: "team-a/raw/",
    uploaded: 3,
    bytes: 3072,
    failed: 1,
  });
  await ursula.client.post(`/api/buckets/${bucket}/objects/delete?${q}`, { keys: ["team-b/x.txt"] }); // denied
  await ursula.client.post(`/api/buckets/${bucket}/presign?${q}`, {
    key: "team-a/missing.txt",
    method: "GET",
    expiresIn: 60,
  }); // the store says NoSuchKey
  await ursula.client.post(`/api/buckets/${bucket}/objects/delete?${q}`, { prefixes: ["team-a/raw/"] });
});

afterAll(() => removeTestBucket(bucket).catch(() => undefined));

describe("the audit log", () => {
  it("records each change with who, where from, what, and the outcome", async () => {
    const r = await admin.get<Page>(`/api/audit?user=${ursula.id}`);
    expect(r.status).toBe(200);
    const actions = r.body.entries.map((e) => `${e.action}:${e.result}`).reverse();
    expect(actions).toEqual([
      "folder.create:ok",
      "upload.batch:ok",
      "objects.delete:denied",
      "link.create:error",
      "objects.delete:ok",
    ]);
    const [del, link, denied, batch, folder] = r.body.entries;
    expect(folder).toMatchObject({
      username: "ursula",
      address: "203.0.113.9",
      bucket,
      prefix: "team-a/raw/",
    });
    expect(batch).toMatchObject({ count: 3, bytes: 3072, prefix: "team-a/raw/", details: { failed: 1 } });
    expect(denied).toMatchObject({ errorCode: "forbidden", key: "team-b/x.txt" });
    expect(link).toMatchObject({ errorCode: "NotFound", key: "team-a/missing.txt" });
    expect(del).toMatchObject({ prefix: "team-a/raw/", count: 1 });
  });

  it("is read by administrators, and by owners for their own keys only", async () => {
    expect((await ursula.client.get<Page>("/api/audit")).body.entries).toEqual([]);
    const owner = await member(admin, "olga");
    const own = await addRgwConnection(owner.client, { name: "olga's" });
    await owner.client.post(`/api/connections/${own}/test`, {});
    const seen = (await owner.client.get<Page>("/api/audit")).body.entries;
    expect(seen.map((e) => e.action)).toEqual(["connection.test", "connection.create"]);
    expect(seen.every((e) => e.username === "olga")).toBe(true);
    const all = (await admin.get<Page>("/api/audit?action=connection")).body.entries;
    expect(all.map((e) => e.action)).toContain("connection.test");
  });

  it("filters by bucket, action and time, pages, and exports the same rows as CSV", async () => {
    const byBucket = (await admin.get<Page>(`/api/audit?bucket=${bucket}`)).body.entries;
    expect(byBucket.length).toBe(5);
    const deletes = (await admin.get<Page>("/api/audit?action=objects.delete")).body.entries;
    expect(deletes.map((e) => e.result)).toEqual(["ok", "denied"]);
    const future = (await admin.get<Page>(`/api/audit?from=${new Date(Date.now() + 60_000).toISOString()}`))
      .body;
    expect(future.entries).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Page = (await admin.get<Page>(`/api/audit?limit=2${cursor ? `&cursor=${cursor}` : ""}`))
        .body;
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    }
    const whole = (await admin.get<Page>("/api/audit?limit=500")).body.entries;
    expect(seen).toEqual(whole.map((e) => e.id));

    const csv = await admin.get<string>(`/api/audit/export?bucket=${bucket}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const rows = Papa.parse<Record<string, string>>(csv.body, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => `${r.username} ${r.action} ${r.result}`)).toEqual(
      byBucket.map((e) => `${e.username} ${e.action} ${e.result}`),
    );
  });

  it("refuses bad filters with the field and the rule", async () => {
    const r = await admin.get<{ error: { message: string } }>("/api/audit?from=yesterday");
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^from: /);
    expect((await admin.get("/api/audit?cursor=xyz")).status).toBe(400);
  });

  it("neutralises formulas in the CSV", async () => {
    // Runs after the bucket filter test above: it adds a row to the bucket.
    await admin.post(`/api/buckets/${bucket}/objects/delete?connection=${conn}`, { keys: ["=SUM(1+1)"] });
    const csv = await admin.get<string>(`/api/audit/export?bucket=${bucket}&action=objects.delete`);
    expect(csv.body).toContain("'=SUM(1+1)");
    expect(csv.body).not.toMatch(/(^|,)=SUM/m);
  });

  it("drops rows older than the retention period", async () => {
    const { appendAudit, listAudit } = await import("@/lib/server/db/audit-log");
    const { pruneAudit } = await import("@/lib/server/db/audit-log");
    await appendAudit({ user_id: "u", username: "old", action: "test.old" });
    const before = await listAudit({ action: "test.old" }, 10);
    expect(before).toHaveLength(1);
    expect(await pruneAudit(Date.now() + 1000)).toBeGreaterThan(0);
    expect(await listAudit({}, 10)).toEqual([]);
  });
});
