/**
 * The advertiser console end to end: the demo advertiser uploads a spot (a real audio file the origin transcodes and
 * loudness-normalises) and hears it back, creates a campaign for free listeners with it, and a free listener then
 * hears that ad before the music, which moves the campaign's report.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adBreakOf, apiJson, eventually, forgetLastAdBreak, tokenFor } from "./support/api";
import { launchChromium, openPage, screenshot } from "./support/browser";
import { E2E_RELEASE } from "./support/catalog-fixture";
import { playTrack, signIn, waitForView } from "./support/web-player";

const platform = inject("platform");
const CAMPAIGN = `E2E sponsorship ${Date.now()}`;
const CREATIVE = "E2E chime spot";

let browser: Browser;
let dir: string;
let spot: string;

beforeAll(async () => {
  browser = await launchChromium();
  // A 15 s spot, quieter than the target: the platform must bring it to -14 LUFS.
  dir = mkdtempSync(join(tmpdir(), "cadence-e2e-spot-"));
  spot = join(dir, "spot.wav");
  const ffmpeg = spawnSync(
    "ffmpeg",
    ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=660:duration=15", "-ar", "44100", "-ac", "2", spot],
    { encoding: "utf8" },
  );
  if (ffmpeg.status !== 0) throw new Error(`ffmpeg could not make the test spot: ${ffmpeg.stderr}`);
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  totals: { impressions: number };
}

describe("advertiser console", () => {
  it("an advertiser uploads a spot, hears it, creates a campaign with it, and a free listener hears the ad", async () => {
    const { page, context, errors } = await openPage(browser, `${platform.apiUrl}/advertiser`);
    try {
      await page.click('button[data-email="advertiser@demo.test"]');
      await page.locator("#campaigns-status", { hasText: /campaign/ }).waitFor();

      // Upload: the origin transcodes and normalises it; the console lists it with a player for the result.
      await page.setInputFiles("#creative-file", spot);
      await page.fill("#creative-name", CREATIVE);
      await page.getByRole("button", { name: "Upload creative" }).click();
      const item = page.locator("li[data-creative-id]", { hasText: CREATIVE });
      await item.waitFor({ timeout: 90_000 });
      expect(await item.textContent()).toMatch(/-14(\.0)? LUFS/);
      const playedBack = await item.locator("audio").evaluate(
        (audio: HTMLAudioElement) =>
          new Promise<number>((resolve, reject) => {
            audio.addEventListener("loadedmetadata", () => resolve(audio.duration), { once: true });
            audio.addEventListener("error", () => reject(new Error(`cannot load ${audio.currentSrc}`)), { once: true });
            audio.load();
          }),
      );
      expect(playedBack).toBeGreaterThan(14);
      expect(playedBack).toBeLessThan(16);

      // Create a sponsorship for free listeners with that spot (sponsorships are decided before standard campaigns).
      await page.getByRole("button", { name: "New campaign" }).click();
      const form = page.locator("form.campaign-form");
      await form.getByLabel("Name").fill(CAMPAIGN);
      await form.getByLabel("Priority").selectOption("sponsorship");
      await form.getByLabel("Pacing").selectOption("asap");
      await form.getByLabel("Total budget (USD)").fill("1000.00");
      await form.getByLabel("Price per 1,000 ads (CPM, USD)").fill("50.00");
      await form.getByLabel("Frequency cap: ads").fill("0");
      await form.getByRole("group", { name: "Creatives" }).getByLabel(new RegExp(CREATIVE)).check();
      await form.getByRole("button", { name: "Create campaign" }).click();
      const row = page.locator("tr[data-campaign-id]", { hasText: CAMPAIGN });
      await row.waitFor();
      const campaignId = (await row.getAttribute("data-campaign-id"))!;

      // A free listener presses play: this campaign's ad plays first. Campaign changes reach the edge within seconds,
      // so a session that started a moment too early may still get the demo campaign's spot; then listen again.
      const advertiser = await tokenFor(platform, "advertiser@demo.test");
      const report = () =>
        apiJson<Report>(`${platform.apiUrl}/v1/advertiser/campaigns/${campaignId}/report`, advertiser);
      expect((await report()).totals.impressions).toBe(0);
      let heard = false;
      for (let attempt = 0; attempt < 5 && !heard; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 3_000));
        await forgetLastAdBreak(platform, "free@demo.test");
        const listener = await openPage(browser, `${platform.apiUrl}/`);
        try {
          await signIn(listener.page, "free@demo.test");
          await playTrack(listener.page, E2E_RELEASE.tracks[2]!.title);
          const ad = await waitForView(listener.page, (v) => v.adVisible && v.mediaTime > 1, "the ad to play");
          heard = (await adBreakOf(platform, ad.session)).ads.some((a) => a.campaignId === campaignId);
          if (heard) await screenshot(listener.page, "advertiser-ad-heard");
        } finally {
          await listener.context.close();
        }
      }
      expect(heard).toBe(true);
      await eventually(async () => ((await report()).totals.impressions >= 1 ? true : undefined), "an impression");

      // The console shows the delivery: the campaign's report with its daily charts.
      await page.reload();
      await page
        .locator(`tr[data-campaign-id="${campaignId}"]`)
        .getByRole("button", { name: /report/i })
        .click();
      await page.locator("#report-heading", { hasText: CAMPAIGN }).waitFor();
      await screenshot(page, "advertiser-console", { docs: "advertiser" });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a campaign that ends before it starts is refused with the reason at the field", async () => {
    const { page, context } = await openPage(browser, `${platform.apiUrl}/advertiser`);
    try {
      await page.click('button[data-email="advertiser@demo.test"]');
      await page.getByRole("button", { name: "New campaign" }).click();
      const form = page.locator("form.campaign-form");
      await form.getByLabel("Name").fill("Backwards");
      await form.getByLabel("Flight start").fill("2027-02-01T00:00");
      await form.getByLabel("Flight end").fill("2027-01-01T00:00");
      await form.getByLabel("Total budget (USD)").fill("lots");
      await form.getByRole("button", { name: "Create campaign" }).click();
      expect(await form.getByLabel("Flight end").getAttribute("aria-invalid")).toBe("true");
      expect(await form.getByLabel("Total budget (USD)").getAttribute("aria-invalid")).toBe("true");
      await form.getByText("The flight must end after it starts.").waitFor();

      // A mistake only the server can see (a CPM above its limit) comes back next to the field too.
      await form.getByLabel("Flight end").fill("2027-03-01T00:00");
      await form.getByLabel("Total budget (USD)").fill("100.00");
      await form.getByLabel("Price per 1,000 ads (CPM, USD)").fill("20000.00");
      await form.getByRole("button", { name: "Create campaign" }).click();
      const cpm = form.getByLabel("Price per 1,000 ads (CPM, USD)");
      await expect.poll(() => cpm.getAttribute("aria-invalid")).toBe("true");
      await screenshot(page, "advertiser-validation");
      expect(await page.locator("tr[data-campaign-id]", { hasText: "Backwards" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
