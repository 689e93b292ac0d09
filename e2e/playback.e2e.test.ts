/**
 * Playback end to end against the test stack: a DDEX delivery ingested (and transcoded) by the catalog, published to
 * Redis, played at the edge by the playback worker under `wrangler dev`, in hls.js in headless Chromium, through each
 * CDN pathway (the stand-ins verify each CDN's real token format before serving a byte). The catalog packaged the
 * track encrypted, so every play also goes through the licence path: hls.js fetches each rendition's key from the
 * playback worker with the session's playback token and decrypts AAC and FLAC itself; a free listener's session
 * cannot obtain the lossless key.
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
        // Encrypted: the keys came through the licence path of the playback worker.
        expect(state.keys.length).toBeGreaterThan(0);
        for (const url of state.keys) expect(url.startsWith(`${harness.playback.url}/v1/license/`)).toBe(true);
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

describe("licences in the browser", () => {
  it("a free listener plays the encrypted AAC but cannot obtain the lossless key", async () => {
    const hifiMaster = `${harness.playback.url}/v1/play/${trackId}/master.m3u8?${new URLSearchParams({ device: "e2e-keys", pathways: "cloudflare", token })}`;
    const hifi = await fetch(hifiMaster);
    expect(hifi.status).toBe(200);
    const flacUri = (await hifi.text()).split("\n").find((l) => l.includes("/flac/"))!;
    const flacPlaylist = await (await fetch(new URL(flacUri, harness.playback.url))).text();
    const flacKeyId = /\/v1\/license\/[^/]+\/([0-9a-f]{32})\?/.exec(flacPlaylist)![1]!;

    const freeToken = await stackToken(stack, {
      sub: `listener-e2e-free-${crypto.randomUUID()}`,
      tier: "free",
      scope: "listener",
    });
    const page = await harness.browser.newPage();
    try {
      await page.goto(harness.page.url);
      const query = new URLSearchParams({ device: "e2e-free", pathways: "cloudflare", token: freeToken });
      const state = await playUntil(
        page,
        `${harness.playback.url}/v1/play/${trackId}/master.m3u8?${query}`,
        1.5,
        30_000,
      );
      expect(loadErrors(state)).toEqual([]);
      expect(state.fragments.every((u) => u.includes("/aac-128/"))).toBe(true);
      const ownKey = state.keys[0]!;
      // The same session, its own token, the lossless key's id: refused, from the page as from anywhere.
      const lossless = ownKey.replace(/\/[0-9a-f]{32}\?/, `/${flacKeyId}?`);
      const answer = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
      }, lossless);
      expect(answer.status).toBe(403);
      expect(answer.type).toBe("application/problem+json");
      expect(JSON.parse(answer.body).code).toBe("rendition-not-entitled");
    } finally {
      await page.close();
    }
  }, 90_000);
});
