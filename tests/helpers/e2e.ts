import type { Page } from "playwright-core";
import type { AppServer } from "./app-server";

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
