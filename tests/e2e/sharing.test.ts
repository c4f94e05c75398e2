import { PutObjectCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import type { Browser } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, dropFolder, setupViaApi, signInThroughUi } from "../helpers/e2e";
import { directClient, listKeys, removeTestBucket, testS3, uniqueBucketName } from "../helpers/s3";

jest.setTimeout(180_000);

// One access key, many people, in Chromium against Ceph RGW: the administrator shares a key with a member
// as uploader of one folder; the member uploads a folder there, cannot see or open the team next door,
// makes a download link; the share is revoked and the member's next action is refused with the reason;
// the audit page shows all of it, and its CSV export says the same.

const MEMBER = { username: "mei", password: "mei's long passphrase" };
const KEY_NAME = "Lab key";
let app: AppServer;
let browser: Browser;
let bucket: string;
let dir: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "obm-share-"));
  const images = path.join(dir, "batch-01");
  fs.mkdirSync(path.join(images, "cats"), { recursive: true });
  fs.mkdirSync(path.join(images, "dogs"), { recursive: true });
  for (let i = 0; i < 6; i++) {
    fs.writeFileSync(path.join(images, i % 2 ? "cats" : "dogs", `img-${i}.jpg`), randomBytes(2000 + i));
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (bucket) await removeTestBucket(bucket).catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("sharing an access key in the browser", () => {
  it("shares a folder as uploader, is enforced in the page, revoked at once, and audited", async () => {
    const secret = testS3().secretAccessKey;
    // The administrator: a key, a bucket with two teams' folders, and a member account.
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await setupViaApi(admin, app);
    const connection = await addConnectionViaApi(admin, app, testS3(), KEY_NAME);
    bucket = uniqueBucketName("share");
    const created = await admin.request.post(`${app.url}/api/buckets?connection=${connection}`, {
      headers: { origin: app.url },
      data: { name: bucket, browserUploads: true },
    });
    expect(created.status()).toBe(201);
    await directClient().send(
      new PutObjectCommand({ Bucket: bucket, Key: "team-b/secret-plan.txt", Body: "b" }),
    );
    await directClient().send(new PutObjectCommand({ Bucket: bucket, Key: "team-a/readme.txt", Body: "a" }));
    const user = await admin.request.post(`${app.url}/api/users`, {
      headers: { origin: app.url },
      data: MEMBER,
    });
    expect(user.status()).toBe(201);

    // Share through the access keys page: member, uploader, one folder.
    await admin.goto(`${app.url}/access-keys`);
    await admin.getByRole("button", { name: `Sharing of ${KEY_NAME}` }).click();
    const form = admin.getByRole("form", { name: `Share ${KEY_NAME}` });
    await form.getByLabel("Person or team").selectOption({ label: MEMBER.username });
    await form.getByLabel("Role").selectOption("uploader");
    await form.getByLabel("Chosen buckets and folders").check();
    await form.getByLabel("Buckets and folders, one per line").fill(`obs://${bucket}/team-a/`);
    await form.getByRole("button", { name: "Share" }).click();
    await admin.getByText(`Shared with ${MEMBER.username}.`).waitFor();
    const table = admin.getByRole("table", { name: `Who ${KEY_NAME} is shared with` });
    await table.getByRole("cell", { name: "Uploader" }).waitFor();
    await table.getByRole("cell", { name: `${bucket}/team-a/` }).waitFor();

    // The member signs in and sees the key as shared with them, without edit, test or delete.
    const memberContext = await newContext(browser);
    const member = await memberContext.newPage();
    const bodies: string[] = [];
    member.on("response", (r) => {
      if (r.url().startsWith(app.url))
        void r.text().then(
          (t) => bodies.push(t),
          () => undefined,
        );
    });
    await signInThroughUi(member, app, MEMBER);
    await member.goto(`${app.url}/access-keys`);
    await member.getByText("Shared with you by admin").waitFor();
    await member.getByText(`Uploader · ${bucket}/team-a/`).waitFor();
    expect(await member.getByRole("button", { name: `Edit ${KEY_NAME}` }).count()).toBe(0);
    expect(await member.getByRole("button", { name: `Delete ${KEY_NAME}` }).count()).toBe(0);
    expect(await member.getByRole("form", { name: `Test ${KEY_NAME}` }).count()).toBe(0);

    // The bucket's root shows only team-a/; no upload, settings or delete controls there.
    await member.goto(`${app.url}/buckets`);
    await member.getByRole("link", { name: bucket }).click();
    const root = member.getByRole("grid", { name: `Contents of ${bucket}/` });
    await root.getByRole("link", { name: "Open team-a" }).waitFor();
    expect(await root.getByRole("link", { name: "Open team-b" }).count()).toBe(0);
    expect(await member.getByRole("button", { name: "Upload files" }).count()).toBe(0);
    expect(await member.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await member.getByText("You can upload only inside the folders shared with you").waitFor();

    // Inside team-a/ the member uploads a folder, dropped from disk.
    await root.getByRole("link", { name: "Open team-a" }).click();
    const inside = member.getByRole("grid", { name: `Contents of ${bucket}/team-a/` });
    await inside.getByRole("button", { name: "Show details of readme.txt" }).waitFor();
    await dropFolder(member, path.join(dir, "batch-01"));
    await member
      .getByRole("region", { name: "Transfers" })
      .getByRole("status")
      .filter({ hasText: "6 of 6 files uploaded" })
      .waitFor({ timeout: 60_000 });
    expect((await listKeys(bucket, "team-a/batch-01/")).length).toBe(6);
    await inside.getByRole("link", { name: "Open batch-01" }).waitFor();

    // team-b/ cannot be opened, even by its address.
    await member.goto(`${app.url}/buckets/${bucket}/team-b?connection=${connection}`);
    await member.getByRole("alert").filter({ hasText: "is outside what the access key" }).waitFor();
    expect(await member.getByText("secret-plan.txt").count()).toBe(0);

    // A download link for one of the uploaded files.
    await member.goto(`${app.url}/links`);
    const linkForm = member.getByRole("form", { name: "Make a link" });
    await linkForm.getByLabel("Bucket", { exact: true }).fill(bucket);
    await linkForm.getByLabel("Object key (path in the bucket)").fill("team-a/batch-01/dogs/img-0.jpg");
    await linkForm.getByRole("button", { name: "Make link" }).click();
    await member.getByText("Link ready.").waitFor();
    // An uploader may also make upload links: the choice is offered.
    await linkForm.getByLabel("Upload (the receiver can put exactly this one key)").waitFor();

    // The member goes back to the folder and keeps the page open while the administrator revokes.
    await member.goto(`${app.url}/buckets/${bucket}/team-a?connection=${connection}`);
    await member.getByRole("grid", { name: `Contents of ${bucket}/team-a/` }).waitFor();
    await admin.getByRole("button", { name: `Stop sharing with ${MEMBER.username}` }).click();
    await admin.getByRole("dialog").getByRole("button", { name: "Stop sharing" }).click();
    await admin.getByText(`${MEMBER.username} no longer has this key.`).waitFor();

    // The member's very next action is refused, and the page says why.
    await member.getByRole("button", { name: "New folder" }).click();
    await member.getByLabel("Folder name").fill("after-revoke");
    await member.getByRole("button", { name: "Create", exact: true }).click();
    await member
      .getByRole("alert")
      .filter({ hasText: `admin stopped sharing the access key “${KEY_NAME}” with you` })
      .waitFor();
    expect(await listKeys(bucket, "team-a/after-revoke/")).toEqual([]);

    // Nothing the member's browser received carried the secret key.
    await member.waitForTimeout(200);
    expect(bodies.length).toBeGreaterThan(10);
    for (const b of bodies) expect(b).not.toContain(secret);
    expect(await member.content()).not.toContain(secret);

    // The audit page lists it all, with the right people and outcomes, and the CSV says the same.
    await admin.goto(`${app.url}/audit`);
    const log = admin.getByRole("table", { name: "Audit log entries" });
    await log.waitFor();
    const rows = async () =>
      (await log.getByRole("row").allInnerTexts()).slice(1).map((r) => r.replace(/\s+/g, " "));
    const seen = await rows();
    const has = (who: string, action: string, result: string) =>
      seen.some((r) => r.includes(` ${who} ${action} ${result}`));
    expect(has("admin", "grant.create", "OK")).toBe(true);
    expect(has(MEMBER.username, "upload.batch", "OK")).toBe(true);
    expect(has(MEMBER.username, "link.create", "OK")).toBe(true);
    expect(has("admin", "grant.revoke", "OK")).toBe(true);
    expect(has(MEMBER.username, "folder.create", "Refused")).toBe(true);
    await admin.getByLabel("Person").selectOption({ label: MEMBER.username });
    await admin.waitForURL(/user=/);
    // The URL changes before the filtered table replaces the old one: read the rows until they are
    // the filtered ones (only the member's, with the upload among them) or the deadline passes.
    let memberRows: string[] = [];
    const onlyMember = (list: string[]) =>
      list.length > 0 &&
      list.every((r) => r.includes(` ${MEMBER.username} `)) &&
      list.some((r) => r.includes("upload.batch"));
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      memberRows = await rows();
      if (onlyMember(memberRows)) break;
      await admin.waitForTimeout(100);
    }
    expect(memberRows.every((r) => r.includes(` ${MEMBER.username} `))).toBe(true);
    const upload = memberRows.find((r) => r.includes("upload.batch"));
    expect(upload).toBeDefined();
    expect(upload).toContain(`${bucket}/team-a/`);
    expect(upload).toContain("6 items");

    const exportHref = await admin.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    const csv = await admin.request.get(`${app.url}${exportHref}`);
    expect(csv.status()).toBe(200);
    const parsed = Papa.parse<Record<string, string>>(await csv.text(), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data.map((r) => `${r.username} ${r.action}`)).toEqual(
      memberRows.map((r) => {
        const m = / (mei) ([a-z.-]+) /.exec(r);
        return `${m?.[1]} ${m?.[2]}`;
      }),
    );
    await adminContext.close();
    await memberContext.close();
  });
});
