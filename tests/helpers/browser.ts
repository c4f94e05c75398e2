import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Debian's Chromium, headless, with every background call home switched off (this machine has no network,
 * and a test must not wait on one). Playwright gives each launch a fresh temporary profile.
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--component-updater=url-source=http://127.0.0.1:9/",
      ...extraArgs,
    ],
  });
}

export async function newContext(
  browser: Browser,
  locale = "en-US",
  timezoneId = "UTC",
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, timezoneId, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  return context;
}
