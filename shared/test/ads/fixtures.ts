/** Campaigns, creatives and listeners for the ad tests: valid by default, each test overrides what it is about. */
import type { EdgeCampaign, EdgeCreative } from "../../src/ads/model";
import type { ListenerContext } from "../../src/ads/targeting";

let seq = 0;
export const uniqueId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export function creative(overrides: Partial<EdgeCreative> = {}): EdgeCreative {
  const id = overrides.id ?? uniqueId("cr");
  return {
    id,
    title: "Spring Sale & more <today>",
    universalAdId: `CAD-${id}`,
    universalAdIdRegistry: "cadence.example",
    durationMs: 15_000,
    path: `ads/${id}/abc123`,
    mediaFiles: [64, 128, 192].map((kbps) => ({
      file: `aac-${kbps}.aac`,
      mimeType: "audio/aac",
      codec: "mp4a.40.2",
      bitrateKbps: kbps,
      bytes: kbps * 1875,
    })),
    mezzanine: {
      file: "mezzanine.wav",
      mimeType: "audio/wav",
      codec: "pcm_s16le",
      bitrateKbps: 1536,
      bytes: 2_880_044,
    },
    hls: {
      playlist: "hls/index.m3u8",
      init: "hls/init.mp4",
      codec: "mp4a.40.2",
      bandwidth: 140_000,
      targetDuration: 4,
      segments: [0, 1, 2, 3].map((i) => ({ uri: `hls/seg-${i}.m4s`, duration: 3.75 })),
    },
    ...overrides,
  };
}

export function campaign(overrides: Partial<EdgeCampaign> = {}): EdgeCampaign {
  const now = Date.now();
  return {
    id: uniqueId("cmp"),
    advertiserId: "adv-test",
    advertiserDomain: "test-advertiser.example",
    name: "Test campaign",
    status: "active",
    flightStart: now - 30 * 86_400_000,
    flightEnd: now + 30 * 86_400_000,
    totalBudgetMinor: 1_000_000,
    dailyBudgetMinor: null,
    cpmMinor: 2000,
    priority: "standard",
    weight: 1,
    pacing: "asap",
    targeting: { countries: [], tiers: [], genres: [], dayparts: [], deviceTypes: [] },
    frequencyCaps: [],
    category: null,
    creatives: [creative()],
    version: 1,
    ...overrides,
  };
}

export function listener(overrides: Partial<ListenerContext> = {}): ListenerContext {
  return {
    sub: uniqueId("listener"),
    tier: "free",
    country: "US",
    timeZone: "UTC",
    deviceType: "mobile",
    genres: ["pop"],
    ...overrides,
  };
}
