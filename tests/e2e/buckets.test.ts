import { randomUUID } from "node:crypto";
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppServer } from "../helpers/app-server";
import { launchBrowser, newContext } from "../helpers/browser";
import { addConnectionViaApi, setupThroughUi } from "../helpers/e2e";
import { createRgwUser, directClient, uniqueBucketName } from "../helpers/s3";

jest.setTimeout(120_000);

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A connection for a fresh RGW account of this test's own, so its bucket list starts empty. */
async function addRgwConnection(page: Page) {
  const keys = createRgwUser(`e2e-${randomUUID().slice(0, 8)}`);
  await addConnectionViaApi(page, app, keys);
  return keys;
}

describe("buckets in Chromium", () => {
  it("creates a bucket through the form, explains a taken name, then empties and deletes a bucket", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await setupThroughUi(page, app);
    const owner = await addRgwConnection(page);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Buckets" }).click();
    await page.getByText("No buckets yet.").waitFor();
    await page.getByRole("button", { name: "Create bucket" }).first().click();
    const form = page.getByRole("form", { name: "Create a bucket" });

    // Live rule while typing; nothing is sent for a bad name.
    await form.getByLabel("Name", { exact: true }).fill("Bad_Name");
    await form.getByText("Name: may contain only lowercase letters").waitFor();

    const name = uniqueBucketName("e2e");
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByText("This name follows every rule.").waitFor();
    await form.getByRole("radio", { name: /^Warm/ }).check();
    await form.getByRole("button", { name: "Create bucket" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Bucket ${name} was created.` })
      .waitFor();
    await page.getByRole("cell", { name, exact: true }).waitFor();
    await directClient(owner).send(new HeadBucketCommand({ Bucket: name }));

    // A name another account owns is explained, not just refused.
    const other = createRgwUser(`e2e-other-${randomUUID().slice(0, 8)}`);
    const taken = uniqueBucketName("taken");
    await directClient(other).send(new CreateBucketCommand({ Bucket: taken }));
    await page.getByRole("button", { name: "Create bucket" }).first().click();
    await form.getByLabel("Name", { exact: true }).fill(taken);
    await form.getByRole("button", { name: "Create bucket" }).click();
    await form.getByRole("alert").filter({ hasText: "taken by another account" }).waitFor();
    await form.getByRole("button", { name: "Cancel" }).click();

    // Delete: the bucket holds objects, so it is emptied first, with progress, then deleted.
    for (let i = 0; i < 5; i++) {
      await directClient(owner).send(
        new PutObjectCommand({ Bucket: name, Key: `data/${i}.txt`, Body: `${i}` }),
      );
    }
    await page.getByRole("button", { name: `Delete ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Delete bucket ${name}` });
    await dialog.getByRole("button", { name: "Delete bucket" }).isDisabled();
    await dialog.getByLabel("Bucket name").fill(name);
    await dialog.getByRole("button", { name: "Delete bucket" }).click();
    await dialog.getByText("This bucket is not empty.").waitFor();
    await dialog.getByRole("button", { name: "Empty and delete" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Bucket ${name} was deleted.` })
      .waitFor();
    await expect(directClient(owner).send(new HeadBucketCommand({ Bucket: name }))).rejects.toThrow();
    expect(await page.getByRole("cell", { name, exact: true }).count()).toBe(0);
    await context.close();
  });
});
