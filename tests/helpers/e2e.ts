import type { Page } from "playwright-core";
import type { AppServer } from "./app-server";
import { testS3, type TestS3 } from "./s3";

export const E2E_ADMIN = { username: "admin", password: "a long enough passphrase" };

/** Creates the first administrator through the setup page, as a new user would. */
export async function setupThroughUi(page: Page, app: AppServer): Promise<void> {
  await page.goto(app.url);
  await page.waitForURL(/\/setup$/);
  await page.getByLabel("Username").fill(E2E_ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(E2E_ADMIN.password);
  await page.getByLabel("Repeat password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await page.waitForURL(`${app.url}/`);
}

/** Signs in through the sign-in page and waits for the home page. */
export async function signInThroughUi(page: Page, app: AppServer, user = E2E_ADMIN): Promise<void> {
  await page.goto(`${app.url}/login`);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/`);
}

/** Drops a file on an element the way a browser does: a drop event carrying a DataTransfer. */
export async function dropFile(
  page: Page,
  target: ReturnType<Page["getByRole"]>,
  name: string,
  text: string,
) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: "text/csv" }));
      return dt;
    },
    { name, text },
  );
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

/** Creates the first administrator through the API, signing the page's browser context in. */
export async function setupViaApi(page: Page, app: AppServer): Promise<void> {
  const r = await page.request.post(`${app.url}/api/auth/setup`, {
    headers: { origin: app.url },
    data: E2E_ADMIN,
  });
  if (r.status() !== 201) throw new Error(`setup failed: ${r.status()} ${await r.text()}`);
}

/** Saves a connection to the test RGW (path-style) for the signed-in page; returns its id. */
export async function addConnectionViaApi(
  page: Page,
  app: AppServer,
  keys: TestS3 = testS3(),
  name = "Local RGW",
) {
  const r = await page.request.post(`${app.url}/api/connections`, {
    headers: { origin: app.url },
    data: {
      name,
      provider: "s3",
      region: keys.region,
      endpoint: keys.endpoint,
      addressing: "path",
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
    },
  });
  if (r.status() !== 201) throw new Error(`connection failed: ${r.status()} ${await r.text()}`);
  return ((await r.json()) as { id: string }).id;
}

/** Drags a real folder from disk onto the listing, as the operating system would. */
export async function dropFolder(page: Page, folder: string) {
  const box = await page.getByRole("grid").boundingBox();
  if (!box) throw new Error("no grid");
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  const at = { x: box.x + box.width / 2, y: box.y + 20 };
  for (const type of ["dragEnter", "dragOver", "drop"] as const) {
    await cdp.send("Input.dispatchDragEvent", { type, ...at, data });
  }
}
