/**
 * The web player end to end: real hls.js in Chromium against the platform npm start runs. Each test signs in a demo
 * listener in a fresh browser context and checks what that listener would notice: what plays (rendition, codec), that
 * time advances, ads before the music on the free tier, the next track already buffered, playback surviving a CDN
 * outage, and that the events the page sent are stored at the origin, also after the network failed.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { apiJson, eventually, forgetLastAdBreak, landedEvents, servedTo, tokenFor } from "./support/api";
import { launchChromium, openPage, screenshot } from "./support/browser";
import { E2E_RELEASE } from "./support/catalog-fixture";
import {
  captureSentEvents,
  playTrack,
  queueTrack,
  recordStalls,
  type SentEvent,
  signIn,
  stalls,
  waitForView,
} from "./support/web-player";

const platform = inject("platform");
const [FIRST, SECOND, LONGEST] = E2E_RELEASE.tracks.map((t) => t.title) as [string, string, string];
/** The longest a playback stall may last during a CDN failover. */
const MAX_FAILOVER_STALL_MS = 5_000;

let browser: Browser;
const openContexts: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await Promise.all(openContexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await browser?.close();
});

async function player(path = "/"): Promise<{ page: Page; errors: string[]; sent: SentEvent[] }> {
  const { page, context, errors } = await openPage(browser, `${platform.apiUrl}${path}`);
  openContexts.push(context);
  return { page, errors, sent: captureSentEvents(page) };
}

/** Sends what the page still holds and waits until every event it ever sent is stored at the origin. */
async function expectAllLanded(page: Page, sent: SentEvent[]): Promise<Array<{ event_id: string; type: string }>> {
  await page.click("#send-events");
  await waitForView(page, (v) => v.pendingEvents === 0, "the page's event queue to empty");
  const ids = [...new Set(sent.map((e) => e.event_id))];
  expect(ids.length).toBeGreaterThan(0);
  return eventually(async () => {
    const landed = await landedEvents(platform, ids);
    return landed.length === ids.length ? landed : undefined;
  }, `all ${ids.length} events to land at the origin`);
}

/** How many events of a type the origin has stored (the ops counts API). */
async function storedOfType(type: string): Promise<number> {
  const ops = await tokenFor(platform, "ops@demo.test");
  const stats = await apiJson<{ stored_by_type: Record<string, number> }>(
    `${platform.apiUrl}/v1/ops/events/stats`,
    ops,
  );
  return stats.stored_by_type[type] ?? 0;
}

describe("listening", () => {
  it("a premium listener gets AAC 320 kbps and no ad; time advances; the plays land at the origin", async () => {
    const { page, errors, sent } = await player();
    const mediaPlaylists: string[] = [];
    page.on("response", async (res) => {
      if (/\/v1\/play\/[^/]+\/[^/]+\/[a-z]+\.m3u8/.test(res.url())) mediaPlaylists.push(await res.text());
    });
    await signIn(page, "premium@demo.test");
    await playTrack(page, FIRST);
    const playing = await waitForView(page, (v) => v.mediaTime > 3 && v.rendition === "aac-320", "aac-320 to play");
    expect(playing.codec).toBe("mp4a.40.2");
    expect(playing.title).toBe(FIRST);
    expect(playing.adVisible).toBe(false);
    expect(mediaPlaylists.length).toBeGreaterThan(0);
    for (const playlist of mediaPlaylists) expect(playlist).not.toContain("#EXT-X-DISCONTINUITY");
    await screenshot(page, "player-premium", { docs: "player" });

    const landed = await expectAllLanded(page, sent);
    const types = new Set(landed.map((e) => e.type));
    expect(types).toContain("play_start");
    expect(types).toContain("qoe_segment");
    expect(new Set(sent.map((e) => e.session_id))).toEqual(new Set([playing.session]));
    // The play is backed by media the delivery side counted for its session (the evidence an earned play needs).
    const served = await eventually(async () => {
      const s = await servedTo(platform, playing.session);
      return s.playlists > 0 && s.bytes > 0 ? s : undefined;
    }, "the session's served media to be counted");
    expect(served.requests).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it("a hifi listener gets FLAC", async () => {
    const { page, errors } = await player();
    await signIn(page, "hifi@demo.test");
    await playTrack(page, SECOND);
    const playing = await waitForView(page, (v) => v.mediaTime > 2 && v.rendition === "flac", "flac to play");
    expect(playing.codec.toLowerCase()).toBe("flac");
    expect(playing.adVisible).toBe(false);
    await screenshot(page, "player-hifi");
    expect(errors).toEqual([]);
  });

  it("a free listener hears a labelled ad with a countdown first, cannot skip it, then the track plays", async () => {
    await forgetLastAdBreak(platform, "free@demo.test");
    const impressionsBefore = await storedOfType("ad_impression");
    const { page, errors, sent } = await player();
    await signIn(page, "free@demo.test");
    await playTrack(page, FIRST);
    const ad = await waitForView(page, (v) => v.adVisible && v.mediaTime > 0.5, "the ad to play");
    expect(ad.adCountdown).toBeGreaterThan(0);
    expect(await page.isDisabled("#next")).toBe(true);
    expect(await page.isDisabled("#seek")).toBe(true);
    await screenshot(page, "player-free-ad");

    // Jumping the media element past the ad (what a seek bar or a script would do) lands back inside the ad.
    await page.evaluate(() => {
      const audio = [...document.querySelectorAll("audio")].find((a) => !a.paused);
      if (audio) audio.currentTime = audio.currentTime + 60;
    });
    const stillAd = await waitForView(page, (v) => v.adVisible, "the ad to resume after a skip attempt", 5_000);
    expect(stillAd.adCountdown).toBeGreaterThan(0);

    const music = await waitForView(page, (v) => !v.adVisible && v.seekValue >= 2, "the track after the ad", 60_000);
    expect(music.title).toBe(FIRST);
    expect(music.rendition).toBe("aac-128");
    await screenshot(page, "player-free-after-ad");

    const landed = await expectAllLanded(page, sent);
    expect(landed.map((e) => e.type)).toContain("play_start");
    // The ad's impression is counted server-side when its segments are fetched, and lands through the same pipeline.
    expect(sent.some((e) => e.type.startsWith("ad_"))).toBe(false);
    await eventually(
      async () => ((await storedOfType("ad_impression")) > impressionsBefore ? true : undefined),
      "the ad impression to land at the origin",
    );
    expect(errors).toEqual([]);
  });

  it("the queued track is minted and buffered before the current one ends, and follows it", async () => {
    const { page, errors } = await player();
    const masters: Array<{ track: string; at: number }> = [];
    page.on("request", (req) => {
      const match = /\/v1\/play\/([^/]+)\/master\.m3u8/.exec(req.url());
      if (match?.[1]) masters.push({ track: match[1], at: Date.now() });
    });
    await signIn(page, "premium@demo.test");
    await playTrack(page, SECOND);
    await queueTrack(page, FIRST);
    await waitForView(page, (v) => v.mediaTime > 1, "the first track to play");
    await recordStalls(page); // from here on: the start-up wait of the first track is not a stall
    await page.locator(".queue-item .badge.ready").waitFor({ timeout: 45_000 });
    await screenshot(page, "player-queue-prebuffered");
    const secondMintedAt = masters.at(-1)?.at ?? 0;
    const endedAt = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const current = [...document.querySelectorAll("audio")].find((a) => !a.paused);
          current?.addEventListener("ended", () => resolve(Date.now()), { once: true });
        }),
    );
    const next = await waitForView(page, (v) => v.title === FIRST && v.mediaTime > 1, "the queued track to play");
    expect(masters).toHaveLength(2);
    expect(secondMintedAt).toBeLessThan(endedAt); // minted and buffering before the first track ended
    expect(next.adVisible).toBe(false);
    expect(await stalls(page)).toEqual([]); // no stall at the switch: the next track was already buffered
    expect(errors).toEqual([]);
  });
});

describe("delivery", () => {
  let downed: string | undefined;
  afterEach(async () => {
    if (!downed) return;
    const ops = await tokenFor(platform, "ops@demo.test");
    await apiJson(`${platform.apiUrl}/v1/ops/cdn-stand-ins/${downed}/recover`, ops, { method: "POST", body: "{}" });
    downed = undefined;
  });

  it("when the serving CDN goes down mid-track, playback moves to another pathway without a long stall", async () => {
    // Buffer only a few seconds ahead so the outage hits segments still to be fetched.
    const { page, errors } = await player("/?buffer=4&pathways=akamai,cloudfront,cloudflare");
    await signIn(page, "premium@demo.test");
    await playTrack(page, LONGEST);
    const before = await waitForView(
      page,
      (v) => v.mediaTime > 2 && (v.servedBy === "akamai" || v.servedBy === "cloudfront"),
      "a CDN stand-in to serve segments",
    );
    await recordStalls(page);

    // Ops take the serving CDN down from the ops console's stand-in knobs.
    const ops = await openPage(browser, `${platform.apiUrl}/ops`);
    openContexts.push(ops.context);
    await ops.page.click('button[data-email="ops@demo.test"]');
    const card = ops.page.locator(`.knob-card[data-cdn="${before.servedBy}"]`);
    await card.getByRole("button", { name: /^Take .* down$/ }).click();
    downed = before.servedBy;
    await card.getByText("DOWN").waitFor();
    await screenshot(ops.page, "ops-cdn-down");

    const after = await waitForView(
      page,
      (v) => v.servedBy !== before.servedBy && v.servedBy !== "" && v.mediaTime > before.mediaTime + 8,
      "playback to continue on another CDN",
      60_000,
    );
    expect(after.pathway).not.toBe(before.servedBy);
    expect(after.error).toBe("");
    const longest = Math.max(0, ...(await stalls(page)));
    expect(longest).toBeLessThan(MAX_FAILOVER_STALL_MS);
    await screenshot(page, "player-after-failover");
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]); // the downed CDN's 503s
  });

  it("events wait in the browser while the events service is unreachable, survive a reload, and are resent", async () => {
    const { page, errors, sent } = await player();
    const eventsUrl = `${platform.eventsUrl}/v1/events`;
    await page.route(eventsUrl, (route) => route.abort("internetdisconnected"));
    await signIn(page, "premium@demo.test");
    await playTrack(page, FIRST);
    await waitForView(page, (v) => v.mediaTime > 2 && v.pendingEvents > 0, "events to queue up");
    await page.click("#send-events");
    await page.locator("#ev-last", { hasText: "events kept" }).waitFor();
    await page.click("#stop");
    const stored = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith("cadence.events."))
        .reduce((n, k) => n + (JSON.parse(localStorage.getItem(k) ?? "[]") as unknown[]).length, 0),
    );
    expect(stored).toBeGreaterThan(0);
    await screenshot(page, "player-events-offline");

    // The network comes back; the listener reloads the page: the kept events go out and land, each exactly once.
    await page.unroute(eventsUrl);
    await page.reload();
    await page.waitForSelector("#app:not([hidden])");
    const landed = await expectAllLanded(page, sent);
    expect(new Set(landed.map((e) => e.event_id)).size).toBe(landed.length);
    expect(landed.map((e) => e.type)).toContain("play_end");
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
  });
});
