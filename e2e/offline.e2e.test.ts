/**
 * Offline listening end to end in the web player against the platform npm start runs: a premium listener downloads a
 * release (a download licence per track for this browser's device key, encrypted segments into IndexedDB), the card
 * shows when each
 * licence lapses, a track plays with the browser context offline, its play is reported once the browser is online
 * again (under the download's own session), and once the clock passes the lapse date it no longer plays. A free
 * listener is offered no download.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually, landedEvents } from "./support/api";
import { launchChromium } from "./support/browser";
import { E2E_RELEASE } from "./support/catalog-fixture";
import { captureSentEvents, signIn, waitForView } from "./support/web-player";

const platform = inject("platform");
const TITLE = E2E_RELEASE.tracks[1]!.title;
const DAY = 86_400_000;

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await browser?.close();
});

async function open(): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  // A controllable clock that runs in real time until moved, so the lapse date can be passed.
  await context.clock.install();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(`${platform.apiUrl}/`);
  return { page, context, errors };
}

describe("offline downloads in the web player", () => {
  it("a premium listener downloads a release, plays it with the network off, and it stops once the licence lapses", async () => {
    const { page, context, errors } = await open();
    const sent = captureSentEvents(page);
    await signIn(page, "premium@demo.test");
    await page
      .locator(".track", { hasText: TITLE })
      .getByRole("button", { name: /^Download release / })
      .click();
    for (const track of E2E_RELEASE.tracks) {
      await page.locator("#downloads-list .download", { hasText: track.title }).waitFor({ timeout: 90_000 });
    }
    expect(await page.locator("#downloads-list .download").count()).toBe(E2E_RELEASE.tracks.length);
    const item = page.locator("#downloads-list .download", { hasText: TITLE });
    await item.waitFor({ timeout: 60_000 });
    const expiresAt = Date.parse((await item.locator("[data-expires-at]").getAttribute("data-expires-at"))!);
    expect(expiresAt - Date.now()).toBeGreaterThan(29 * DAY);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(30 * DAY);
    await expect.poll(() => item.textContent()).toContain("Offline until");

    await context.setOffline(true);
    await item.getByRole("button", { name: /^Play .* offline$/ }).click();
    await page.waitForFunction(
      () => (document.getElementById("offline-audio") as HTMLAudioElement).currentTime > 1.5,
      undefined,
      { timeout: 30_000 },
    );
    expect(errors).toEqual([]);

    // Back online, the offline play is reported: play_start under the download's own session lands at the origin.
    await page.evaluate(() => (document.getElementById("offline-audio") as HTMLAudioElement).pause());
    await context.setOffline(false);
    await page.click("#send-events");
    await waitForView(page, (v) => v.pendingEvents === 0, "the page's event queue to empty");
    const offlineStarts = sent.filter((e) => e.type === "play_start" && e.session_id.startsWith("off-"));
    expect(offlineStarts.length).toBeGreaterThan(0);
    const ids = offlineStarts.map((e) => e.event_id);
    const landed = await eventually(
      async () => {
        const found = await landedEvents(platform, ids);
        return found.length === ids.length ? found : undefined;
      },
      "the offline play to land at the origin",
      60_000,
    );
    expect(landed.map((e) => e.type)).toContain("play_start");

    // Past the lapse date: the licence no longer opens the key, and the card says so.
    await context.setOffline(true);
    await context.clock.setSystemTime(expiresAt + DAY);
    await item.getByRole("button", { name: /^Play .* offline$/ }).click();
    await expect.poll(() => page.textContent("#downloads-status")).toContain("lapsed");
    await expect.poll(() => item.textContent()).toContain("Licence lapsed");
    // Refused before any media is handed to the element: nothing plays.
    expect(await page.evaluate(() => (document.getElementById("offline-audio") as HTMLAudioElement).paused)).toBe(true);
  }, 120_000);

  it("a free listener is offered no download", async () => {
    const { page } = await open();
    await signIn(page, "free@demo.test");
    expect(
      await page
        .locator(".track")
        .getByRole("button", { name: /^Download / })
        .count(),
    ).toBe(0);
  }, 60_000);
});
