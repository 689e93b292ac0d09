/**
 * The campaign mix of `npm run bench:ads`: deterministic, with targeting spread over countries, genres, dayparts and
 * frequency caps, priorities and pacing modes as a real ad server carries them, so each decision really filters,
 * ranks and reserves.
 */
import type { EdgeCampaign, PriorityTier } from "@cadence/shared/ads/model";

export const COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "BR", "MX", "CA", "AU", "JP", "IN", "PL"];
export const GENRES = [
  "pop",
  "rock",
  "hip-hop",
  "electronic",
  "jazz",
  "classical",
  "country",
  "latin",
  "indie",
  "metal",
];

/** A deterministic generator so every run benches the same campaign mix. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchCampaigns(count: number): EdgeCampaign[] {
  const r = seeded(42);
  const pick = <T>(xs: readonly T[], n: number) => [...xs].sort(() => r() - 0.5).slice(0, n);
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const roll = r();
    const priority: PriorityTier = roll < 0.05 ? "sponsorship" : roll < 0.85 ? "standard" : "house";
    const id = `cmp_bench${i}`;
    return {
      id,
      advertiserId: `adv-bench-${i % 2000}`,
      advertiserDomain: `brand${i % 2000}.example`,
      name: `Bench ${i}`,
      status: "active",
      flightStart: now - 86_400_000,
      flightEnd: now + 30 * 86_400_000,
      totalBudgetMinor: 50_000_000,
      dailyBudgetMinor: r() < 0.7 ? 5_000_000 : null,
      cpmMinor: 200 + Math.floor(r() * 50) * 100,
      priority,
      weight: 1 + Math.floor(r() * 5),
      pacing: r() < 0.6 ? "even" : r() < 0.5 ? "front_loaded" : "asap",
      targeting: {
        countries: r() < 0.3 ? [] : pick(COUNTRIES, 1 + Math.floor(r() * 3)),
        tiers: ["free"],
        genres: r() < 0.5 ? [] : pick(GENRES, 1 + Math.floor(r() * 2)),
        dayparts:
          r() < 0.2
            ? [{ days: [0, 1, 2, 3, 4, 5, 6], startHour: Math.floor(r() * 12), endHour: 12 + Math.floor(r() * 12) }]
            : [],
        deviceTypes: [],
      },
      frequencyCaps: r() < 0.5 ? [{ count: 3, windowSeconds: 86_400 }] : [],
      category: r() < 0.6 ? `category-${Math.floor(r() * 40)}` : null,
      creatives: [
        {
          id: `cr_bench${i}`,
          title: `Bench spot ${i}`,
          universalAdId: `CADBENCH${i}`,
          universalAdIdRegistry: "cadence.example",
          durationMs: r() < 0.7 ? 15_000 : 30_000,
          path: `ads/bench${i}-a1`,
          mediaFiles: [64, 128, 192].map((k) => ({
            file: `aac-${k}.aac`,
            mimeType: "audio/aac",
            codec: "mp4a.40.2",
            bitrateKbps: k,
            bytes: k * 1875,
          })),
          mezzanine: {
            file: "mezzanine.wav",
            mimeType: "audio/wav",
            codec: "pcm_s16le",
            bitrateKbps: 1411,
            bytes: 2_646_078,
          },
          hls: {
            playlist: "hls/index.m3u8",
            init: "hls/init.mp4",
            codec: "mp4a.40.2",
            bandwidth: 131_000,
            targetDuration: 4,
            segments: [1, 2, 3, 4].map((s) => ({ uri: `hls/seg-0000${s}.m4s`, duration: 3.75 })),
          },
        },
      ],
      version: 1,
    };
  });
}
