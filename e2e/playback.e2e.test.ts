/**
 * Playback end to end against the test stack: a DDEX delivery ingested (and transcoded) by the catalog, published to
 * Redis, played at the edge by the playback worker under `wrangler dev`, in hls.js in headless Chromium, through each
 * CDN pathway (the stand-ins verify each CDN's real token format before serving a byte).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadErrors, playUntil } from "./support/hls-page";
import { ingestRelease } from "./support/ingest";
import { type PlaybackHarness, startPlaybackHarness } from "./support/playback-harness";
import { stackToken } from "./support/stack-tokens";

const stack = inject("stack");
let trackId: string;
let harness: PlaybackHarness;
let token: string;

beforeAll(async () => {
  // The real way in: a DDEX delivery ingested (and transcoded) by the catalog, published to Redis, played at the edge.
  const [ingested, started] = await Promise.all([
    ingestRelease(stack, {
      messageId: "PLAYBACK-E2E-1",
      createdAt: "2026-01-05T10:00:00Z",
      senderName: "Playback E2E Distributor",
      icpn: "4006381333931",
      title: "End To End",
      artist: "The Pathways",
      label: "Playback E2E Label",
      genre: "Electronic",
      releaseDate: "2025-01-01",
      tracks: [{ isrc: "QZPLB2600001", title: "Through Every CDN", seconds: 9 }],
      deals: [{ models: ["SubscriptionModel", "AdvertisementSupportedModel"] }],
    }),
    startPlaybackHarness(stack),
  ]);
  trackId = ingested[0]!.id;
  harness = started;
  // A listener of its own (not a shared demo account), so no other suite's session displaces this one's.
  token = await stackToken(stack, { sub: `listener-e2e-${crypto.randomUUID()}`, tier: "hifi", scope: "listener" });
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("hls.js in headless Chromium plays a track end to end", () => {
  const cases: Array<[pathway: string, codecs: string | undefined, base: () => string]> = [
    ["cloudfront", undefined, () => stack.playback.cloudfrontUrl],
    ["akamai", "aac", () => stack.playback.akamaiUrl],
    ["cloudflare", undefined, () => `${harness.playback.url}/v1/cdn/cloudflare/`],
  ];
  it.each(cases)(
    "through the %s pathway (codecs=%s): audio time advances, segments come from that CDN",
    async (pathway, codecs, base) => {
      const page = await harness.browser.newPage();
      try {
        await page.goto(harness.page.url);
        const query = new URLSearchParams({ device: `e2e-${pathway}`, pathways: pathway, token });
        if (codecs) query.set("codecs", codecs);
        const master = `${harness.playback.url}/v1/play/${trackId}/master.m3u8?${query}`;
        const state = await playUntil(page, master, 1.5, 30_000);
        // A stall while this shared machine is busy is not a failure; a refused, unloadable or unparsable file is.
        expect(loadErrors(state)).toEqual([]);
        expect(state.fragments.length).toBeGreaterThan(0);
        for (const url of state.fragments) expect(url.startsWith(base())).toBe(true);
        // A hifi listener without hints starts on FLAC (fMP4); `codecs=aac` keeps the player on AAC.
        if (codecs === "aac") expect(state.fragments.every((u) => !u.includes("/flac/"))).toBe(true);
        else expect(state.fragments[0]).toContain("/flac/");
      } finally {
        await page.close();
      }
    },
    60_000,
  );
});
