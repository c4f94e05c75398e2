import { createHash } from "node:crypto";
import { addRgwConnection, adminClient, TestClient } from "../helpers/api-client";
import { archiveStore } from "../helpers/archive-store";

// Archived objects (Cold / Deep Archive) through the API, against a small store that reports each restore
// state (Ceph RGW does not archive) and records the restore requests exactly as they arrive.

type Err = { error: { code: string; message: string; details?: { storeCode?: string } } };
type Head = { restoreRequired: boolean; restore: { status: string; expiresAt: string | null } };
let admin: TestClient;
let conn: string;
let store: Awaited<ReturnType<typeof archiveStore>>;
const api = (path: string) =>
  `/api/buckets/cold-bucket/${path}${path.includes("?") ? "&" : "?"}connection=${conn}`;

beforeAll(async () => {
  store = await archiveStore([
    { key: "cold/archived.bin", size: 10, storageClass: "GLACIER" },
    { key: "cold/restoring.bin", size: 10, storageClass: "GLACIER", state: "in-progress" },
    { key: "cold/restored.bin", size: 10, storageClass: "DEEP_ARCHIVE", state: "restored" },
    { key: "cold/warm.txt", size: 5, storageClass: "STANDARD" },
  ]);
  admin = await adminClient();
  conn = await addRgwConnection(admin, { endpoint: store.endpoint, name: "archive" });
});
afterAll(async () => {
  await store.close();
});

describe("archived objects", () => {
  it("report their restore state from the store's restore header", async () => {
    const head = (key: string) => admin.get<Head>(api(`objects/head?key=${encodeURIComponent(key)}`));
    expect((await head("cold/archived.bin")).body).toMatchObject({
      restoreRequired: true,
      restore: { status: "archived", expiresAt: null },
    });
    expect((await head("cold/restoring.bin")).body.restore.status).toBe("in-progress");
    expect((await head("cold/restored.bin")).body).toMatchObject({
      restoreRequired: false,
      restore: { status: "restored", expiresAt: "2026-12-25T00:00:00.000Z" },
    });
    expect((await head("cold/warm.txt")).body.restore.status).toBe("none");
  });

  it("a download of an archived object explains that it must be restored first", async () => {
    const r = await admin.get<Err>(api("objects/url?key=cold%2Farchived.bin"));
    expect(r.status).toBe(409);
    expect(r.body.error.details?.storeCode).toBe("ObjectArchived");
    expect(r.body.error.message).toMatch(/restore it first/);
    const ongoing = await admin.get<Err>(api("objects/url?key=cold%2Frestoring.bin"));
    expect(ongoing.body.error.details?.storeCode).toBe("RestoreInProgress");
    expect((await admin.get(api("objects/url?key=cold%2Frestored.bin"))).status).toBe(200);
  });

  it("restores named files: the request carries the days, the tier and a Content-MD5 of its body", async () => {
    const r = await admin.post<{ requested: number; inProgress: number; notArchived: number }>(
      api("objects/restore"),
      { keys: ["cold/archived.bin", "cold/restoring.bin", "cold/warm.txt"], days: 3, tier: "Expedited" },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ requested: 1, inProgress: 1, notArchived: 1 });
    const sent = store.restores.find((x) => x.path.includes("archived.bin"))!;
    expect(sent.path).toMatch(/^\/cold-bucket\/cold\/archived\.bin\?restore/);
    expect(sent.body).toContain("<Days>3</Days>");
    expect(sent.body).toContain("<Tier>Expedited</Tier>");
    expect(sent.headers["content-md5"]).toBe(createHash("md5").update(sent.body).digest("base64"));
    // Now in progress.
    const head = await admin.get<Head>(api("objects/head?key=cold%2Farchived.bin"));
    expect(head.body.restore.status).toBe("in-progress");
  });

  it("restores a folder in steps: only archived objects are asked for", async () => {
    store.set("cold/archived.bin", "archived");
    store.set("cold/restoring.bin", "archived");
    const before = store.restores.length;
    const r = await admin.post<{ requested: number; notArchived: number; nextCursor: string | null }>(
      api("objects/restore"),
      { prefix: "cold/", days: 7, tier: "Bulk" },
    );
    expect(r.body).toMatchObject({ requested: 3, notArchived: 1, nextCursor: null });
    expect(store.restores.slice(before).every((x) => x.body.includes("<Tier>Bulk</Tier>"))).toBe(true);
  });

  it("refuses a restore with no days, too many days or an unknown tier, naming the field", async () => {
    for (const [body, field] of [
      [{ keys: ["cold/archived.bin"], tier: "Expedited" }, "days"],
      [{ keys: ["cold/archived.bin"], days: 31, tier: "Expedited" }, "days"],
      [{ keys: ["cold/archived.bin"], days: 1, tier: "Fast" }, "tier"],
      [{ days: 1, tier: "Bulk" }, "keys"],
    ] as const) {
      const r = await admin.post<Err>(api("objects/restore"), body);
      expect(r.status).toBe(400);
      expect(r.body.error.message.startsWith(`${field}:`)).toBe(true);
    }
  });
});

describe("shared archived files", () => {
  it("are refused on the share page's download with a message, not a link the store refuses", async () => {
    store.set("cold/archived.bin", "archived");
    const created = await admin.post<{ path: string }>(`/api/buckets/cold-bucket/shares?connection=${conn}`, {
      kind: "download",
      prefix: "cold/",
      expiresIn: 3600,
    });
    expect(created.status).toBe(201);
    const base = `/api/public/shares/${created.body.path.split("/").pop()}`;
    const visitor = new TestClient();
    const unlock = await visitor.request("POST", `${base}/unlock`, {});
    const cookie = unlock.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const refused = await visitor.request<Err>(
      "POST",
      `${base}/download`,
      { key: "archived.bin" },
      { cookie },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/archived and must be restored/);
    const ok = await visitor.request<{ url: string }>(
      "POST",
      `${base}/download`,
      { key: "warm.txt" },
      { cookie },
    );
    expect(ok.status).toBe(200);
  });
});
