/**
 * Ads end to end, every part real: an advertiser uploads a spot (ffmpeg-packaged by the origin) and creates a campaign
 * through the advertiser API; the ads worker answers VAST that validates against the official 4.2 XSD (xmllint) and
 * parses without warnings in @dailymotion/vast-client; a free listener's playlist gets the break spliced in by the
 * playback worker and hls.js in headless Chromium plays the ad, then the track; the impression, quartiles and complete
 * are counted once (server-side) in the advertiser's report and land in the origin's event store through the events
 * pipeline. A premium listener gets no break.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { makeDemoSpot } from "@cadence/origin/src/ads/seed";
import { adEventId } from "@cadence/shared/ads/events";
import { NO_FILL_VAST } from "@cadence/shared/ads/vast";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import { VASTParser } from "@dailymotion/vast-client";
import { JSDOM } from "jsdom";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AdsHarness, startAdsHarness } from "./support/ads-harness";
import { eventually, landedEvents } from "./support/api";
import { launchChromium } from "./support/browser";
import { type HlsPage, loadErrors, playUntil, startHlsPage } from "./support/hls-page";
import { ingestRelease } from "./support/ingest";
import { stackToken } from "./support/stack-tokens";

const stack = inject("stack");
const XSD = resolve(import.meta.dirname, "../test-fixtures/vast/vast_4.2.xsd");
const work = mkdtempSync(join(tmpdir(), "cadence-ads-e2e-"));
const GENRE = `Ad Test Polka ${crypto.randomUUID().slice(0, 6)}`;
let harness: AdsHarness;
let page: HlsPage;
let browser: Browser;
let trackId: string;
let campaignId: string;

function token(claims: { scope: string; tier: string; sub: string }): Promise<string> {
  return stackToken(stack, claims);
}

/** The origin's advertiser API, called as the edge calls it (service token) with the advertiser's token. */
function origin(path: string, bearer: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${bearer}`);
  // A creative upload is packaged by ffmpeg before the origin answers.
  return serviceFetch({ baseUrl: stack.originUrl, token: stack.serviceToken }, path, {
    ...init,
    headers,
    timeoutMs: 120_000,
  });
}

function xmllint(xml: string): string {
  const file = join(work, `vast-${crypto.randomUUID()}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync("xmllint", ["--nonet", "--noout", "--schema", XSD, file], { stdio: "pipe" });
    return "";
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

async function vastClientWarnings(xml: string) {
  const parser = new VASTParser();
  const warnings: unknown[] = [];
  parser.on("VAST-warning", (w: unknown) => warnings.push(w));
  const response = await parser.parseVAST(
    new new JSDOM("").window.DOMParser().parseFromString(xml, "text/xml") as unknown as Document,
  );
  return { response, warnings };
}

async function report(advertiser: string) {
  const res = await origin(`/v1/advertiser/campaigns/${campaignId}/report`, advertiser);
  return (await res.json()) as { totals: { impressions: number; first_quartiles: number; completes: number } };
}

beforeAll(async () => {
  const advertiser = await token({ scope: "advertiser:adv-demo", tier: "free", sub: "advertiser-e2e" });
  const spot = join(work, "spot.wav");
  const [ingested, started, player, chromium] = await Promise.all([
    ingestRelease(stack, {
      messageId: "ADS-E2E-1",
      createdAt: "2026-01-06T10:00:00Z",
      senderName: "Ads E2E Distributor",
      icpn: "036000291452",
      title: "Ad Supported",
      artist: "The Sponsors",
      label: "Ads E2E Label",
      genre: GENRE,
      releaseDate: "2025-01-01",
      tracks: [{ isrc: "QZADS2600001", title: "After The Break", seconds: 12 }],
      deals: [{ models: ["SubscriptionModel", "AdvertisementSupportedModel"] }],
    }),
    startAdsHarness(stack),
    startHlsPage(),
    launchChromium(),
    makeDemoSpot("ffmpeg", spot),
  ]);
  trackId = ingested[0]!.id;
  harness = started;
  page = player;
  browser = chromium;
  const upload = await origin("/v1/advertiser/creatives?name=E2E%20spot", advertiser, {
    method: "POST",
    headers: { "content-type": "audio/wav" },
    body: readFileSync(spot),
  });
  if (upload.status !== 201) throw new Error(`creative upload answered ${upload.status}: ${await upload.text()}`);
  const creative = (await upload.json()) as { id: string };
  const created = await origin("/v1/advertiser/campaigns", advertiser, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "E2E sponsorship",
      flight_start: new Date(Date.now() - 3_600_000).toISOString(),
      flight_end: new Date(Date.now() + 86_400_000).toISOString(),
      total_budget_minor: 100_000,
      cpm_minor: 3_000,
      priority: "sponsorship",
      pacing: "asap",
      targeting: { countries: [], tiers: ["free"], genres: [GENRE], dayparts: [], device_types: [] },
      creative_ids: [creative.id],
    }),
  });
  if (created.status !== 201) throw new Error(`campaign answered ${created.status}: ${await created.text()}`);
  campaignId = ((await created.json()) as { id: string }).id;
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), page?.close(), harness?.close()]);
});

describe("ads end to end", () => {
  it("VAST answers, filled or not, validate against the 4.2 XSD and parse without warnings in vast-client", async () => {
    const listener = await token({ scope: "listener", tier: "free", sub: `vast-e2e-${crypto.randomUUID()}` });
    const filled = await fetch(`${harness.ads.url}/v1/ads/vast?track_id=${trackId}&max_ads=2`, {
      headers: { authorization: `Bearer ${listener}` },
    });
    const xml = await filled.text();
    expect(filled.status).toBe(200);
    expect(xmllint(xml)).toBe("");
    const parsed = await vastClientWarnings(xml);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.response.ads[0]).toMatchObject({ id: campaignId, adType: "audio" });
    // The creative's files are served to players: the HLS rendition named in the VAST plays from the ads worker.
    const hls = (
      parsed.response.ads[0]!.creatives[0] as unknown as { mediaFiles: Array<{ fileURL: string; mimeType: string }> }
    ).mediaFiles.find((f) => f.mimeType === "application/x-mpegURL")!;
    const playlist = await fetch(hls.fileURL);
    expect(playlist.status).toBe(200);
    expect(await playlist.text()).toContain("#EXT-X-MAP");

    const premium = await token({ scope: "listener", tier: "premium", sub: `vast-e2e-${crypto.randomUUID()}` });
    const empty = await fetch(`${harness.ads.url}/v1/ads/vast?track_id=${trackId}`, {
      headers: { authorization: `Bearer ${premium}` },
    });
    const none = await empty.text();
    expect(none).toBe(NO_FILL_VAST);
    expect(xmllint(none)).toBe("");
    expect((await vastClientWarnings(none)).warnings).toEqual([]);
  }, 60_000);

  it("a free listener hears the ad before the music in hls.js; it is counted once and lands in the event store", async () => {
    const advertiser = await token({ scope: "advertiser:adv-demo", tier: "free", sub: "advertiser-e2e" });
    const before = (await report(advertiser)).totals;
    const listener = await token({ scope: "listener", tier: "free", sub: `listener-e2e-${crypto.randomUUID()}` });
    const tab = await browser.newPage();
    try {
      await tab.goto(page.url);
      const master = `${harness.playback.url}/v1/play/${trackId}/master.m3u8?${new URLSearchParams({ device: "ads-e2e", pathways: "cloudfront", token: listener })}`;
      const state = await playUntil(tab, master, 2, 60_000);
      expect(loadErrors(state)).toEqual([]);
      // The ad's segments came first, from the playback worker; the track followed through the break's "after" hop.
      expect(state.fragments[0]).toContain(`/ads/0/seg-00001.m4s`);
      const firstTrack = state.fragments.findIndex((u) => !u.includes("/ads/0/"));
      expect(firstTrack).toBeGreaterThan(0);
      expect(state.fragments.slice(0, firstTrack)).toHaveLength(4);
    } finally {
      await tab.close();
    }

    // Counted once each, server-side (the player never saw VAST, so nothing else fires these beacons).
    const deadline = Date.now() + 30_000;
    let totals = before;
    while (Date.now() < deadline) {
      totals = (await report(advertiser)).totals;
      if (totals.completes - before.completes >= 1) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(totals.impressions - before.impressions).toBe(1);
    expect(totals.first_quartiles - before.first_quartiles).toBe(1);
    expect(totals.completes - before.completes).toBe(1);

    // And through the events pipeline into the origin's store, with the ids derived from the AdServingId.
    const servedIds = await servingIdsOfCampaign();
    const ids = await Promise.all(servedIds.flatMap((id) => ["impression", "complete"].map((e) => adEventId(id, e))));
    const stored = await eventually(
      async () => {
        const landed = await landedEvents(stack, ids);
        return landed.length >= 2 ? landed : undefined;
      },
      "the impression and the complete to land in the origin's event store",
      45_000,
    );
    expect(stored.map((s) => s.type).sort()).toEqual(["ad_complete", "ad_impression"]);
  }, 120_000);

  it("a premium listener's playlist has no break", async () => {
    const premium = await token({ scope: "listener", tier: "premium", sub: `premium-e2e-${crypto.randomUUID()}` });
    const master = await fetch(
      `${harness.playback.url}/v1/play/${trackId}/master.m3u8?device=ads-e2e-premium&pathways=cloudfront`,
      {
        headers: { authorization: `Bearer ${premium}` },
      },
    );
    expect(master.status).toBe(200);
    const mediaPath = (await master.text()).split("\n").find((l) => l.startsWith("/v1/play/"))!;
    const media = await (await fetch(`${harness.playback.url}${mediaPath}`)).text();
    expect(media).not.toContain("/ads/");
    expect(media).not.toContain("#EXT-X-DISCONTINUITY");
  }, 60_000);
});

/** AdServingIds of this campaign's counted impressions, from the ads worker's serve records in Redis. */
async function servingIdsOfCampaign(): Promise<string[]> {
  const res = await fetch(stack.redisRestUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.redisRestToken}`, "content-type": "application/json" },
    body: JSON.stringify(["KEYS", "ads:seen:*:impression"]),
  });
  const keys = ((await res.json()) as { result: string[] }).result;
  const ids: string[] = [];
  for (const key of keys) {
    const id = key.split(":")[2]!;
    const serve = await fetch(stack.redisRestUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.redisRestToken}`, "content-type": "application/json" },
      body: JSON.stringify(["HGET", `ads:serve:${id}`, "c"]),
    });
    if (((await serve.json()) as { result: string | null }).result === campaignId) ids.push(id);
  }
  return ids;
}
