/**
 * Pages for the end-to-end tests in headless Chromium: the system's /usr/bin/chromium driven by playwright-core (never
 * a downloaded browser), with autoplay allowed so a test can start audio without a user gesture; and the two things
 * every test wants from a page: its errors (uncaught exceptions, console errors) and a screenshot saved as an artifact
 * under artifacts/e2e/.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

const ROOT = resolve(import.meta.dirname, "..", "..");
export const ARTIFACTS = join(ROOT, "artifacts", "e2e");

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors the page produced. */
  errors: string[];
}

/** A fresh context (own storage) and page; `viewport` defaults to a laptop, pass a phone size to test the layout. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<TestPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  await page.goto(url);
  return { context, page, errors };
}

const DOCS = join(ROOT, "docs");

/**
 * Saves a full-page screenshot as artifacts/e2e/<name>.png. With `docs`, `npm run screenshots`
 * (CADENCE_DOCS_SCREENSHOTS=1) also writes it to docs/<docs>.png for the README; a normal test run never touches docs/.
 */
export async function screenshot(page: Page, name: string, options: { docs?: string } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (options.docs && process.env.CADENCE_DOCS_SCREENSHOTS === "1") {
    // The README shows the top of the page (the consoles are long): at most 1800 px of it.
    mkdirSync(DOCS, { recursive: true });
    const width = page.viewportSize()?.width ?? 1280;
    const height = Math.min(1800, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.screenshot({
      path: join(DOCS, `${options.docs}.png`),
      fullPage: true,
      clip: { x: 0, y: 0, width, height },
    });
  }
  return path;
}
