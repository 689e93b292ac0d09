/** Targeting, tier order, eCPM order and weighted ties: which campaigns a listener may get, and in what order. */
import { describe, expect, it } from "vitest";
import { buildIndex, rankCandidates } from "../../src/ads/ranking";
import { deviceTypeFromUserAgent, ineligibility, localTime } from "../../src/ads/targeting";
import { campaign, creative, listener } from "./fixtures";

/** A seeded generator (mulberry32), so distribution checks are exact and repeatable. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const now = Date.UTC(2026, 10, 18, 14, 30); // a Wednesday, 14:30 UTC
const check = (c: ReturnType<typeof campaign>, l = listener(), maxMs = 30_000) =>
  ineligibility(c, l, now, localTime(now, l.timeZone), maxMs);

describe("targeting", () => {
  it("admits a listener who matches every dimension", () => {
    const c = campaign({
      targeting: {
        countries: ["US", "CA"],
        tiers: ["free"],
        genres: ["pop", "rock"],
        dayparts: [{ days: [3], startHour: 14, endHour: 15 }],
        deviceTypes: ["mobile"],
      },
    });
    expect(check(c)).toBeUndefined();
  });

  it("refuses each dimension that does not match, saying which", () => {
    const base = { countries: [], tiers: [], genres: [], dayparts: [], deviceTypes: [] };
    expect(check(campaign({ targeting: { ...base, countries: ["DE"] } }))).toBe("country");
    expect(check(campaign({ targeting: { ...base, tiers: ["premium"] } }))).toBe("tier");
    expect(check(campaign({ targeting: { ...base, genres: ["jazz"] } }))).toBe("genre");
    expect(check(campaign({ targeting: { ...base, deviceTypes: ["speaker"] } }))).toBe("device");
    expect(check(campaign({ status: "paused" }))).toBe("paused");
    expect(check(campaign({ flightStart: now + 1 }))).toBe("flight");
    expect(check(campaign({ flightEnd: now }))).toBe("flight");
    expect(check(campaign({ creatives: [creative({ durationMs: 30_000 })] }), listener(), 15_000)).toBe("no-creative");
  });

  it("reads dayparts in the listener's local time, not UTC", () => {
    // 14:30 UTC is 09:30 in New York (EST in November) and 23:30 in Tokyo.
    const morning = campaign({
      targeting: {
        countries: [],
        tiers: [],
        genres: [],
        deviceTypes: [],
        dayparts: [{ days: [3], startHour: 6, endHour: 10 }],
      },
    });
    expect(check(morning, listener({ timeZone: "America/New_York" }))).toBeUndefined();
    expect(check(morning, listener({ timeZone: "UTC" }))).toBe("daypart");
    expect(localTime(now, "Asia/Tokyo")).toEqual({ day: 3, hour: 23 });
    expect(localTime(now, "Not/AZone")).toEqual({ day: 3, hour: 14 });
  });

  it("classifies devices from the User-Agent", () => {
    expect(deviceTypeFromUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")).toBe(
      "mobile",
    );
    expect(deviceTypeFromUserAgent("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)")).toBe("tablet");
    expect(deviceTypeFromUserAgent("Mozilla/5.0 (X11; Linux x86_64) Chrome/120")).toBe("desktop");
    expect(deviceTypeFromUserAgent("Sonos/80.1 (ZPS1)")).toBe("speaker");
    expect(deviceTypeFromUserAgent(undefined)).toBe("other");
  });
});

describe("ranking", () => {
  it("orders sponsorship before standard before house, whatever the price", () => {
    const house = campaign({ priority: "house", cpmMinor: 9000 });
    const standard = campaign({ priority: "standard", cpmMinor: 100 });
    const sponsorship = campaign({ priority: "sponsorship", cpmMinor: 50 });
    const ranked = rankCandidates(buildIndex([house, standard, sponsorship], 1), listener(), now, {
      maxDurationMs: 30_000,
      limit: 10,
    });
    expect(ranked.map((r) => r.campaign.id)).toEqual([sponsorship.id, standard.id, house.id]);
  });

  it("orders by eCPM inside a tier and skips the ineligible", () => {
    const cheap = campaign({ cpmMinor: 1000 });
    const dear = campaign({ cpmMinor: 3000 });
    const mid = campaign({ cpmMinor: 2000 });
    const elsewhere = campaign({
      cpmMinor: 5000,
      targeting: { countries: ["FR"], tiers: [], genres: [], dayparts: [], deviceTypes: [] },
    });
    const ranked = rankCandidates(buildIndex([cheap, dear, mid, elsewhere], 1), listener(), now, {
      maxDurationMs: 30_000,
      limit: 10,
    });
    expect(ranked.map((r) => r.campaign.id)).toEqual([dear.id, mid.id, cheap.id]);
  });

  it("spreads ties by weight: weight 3 wins about three times as often as weight 1", () => {
    const heavy = campaign({ cpmMinor: 2000, weight: 3 });
    const light = campaign({ cpmMinor: 2000, weight: 1 });
    const index = buildIndex([heavy, light], 1);
    const random = seeded(7);
    let heavyFirst = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      const [first] = rankCandidates(index, listener(), now, { maxDurationMs: 30_000, limit: 2, random });
      if (first?.campaign.id === heavy.id) heavyFirst++;
    }
    expect(heavyFirst / draws).toBeGreaterThan(0.72);
    expect(heavyFirst / draws).toBeLessThan(0.78);
  });

  it("stops at the limit and honours the exhausted memo", () => {
    const campaigns = Array.from({ length: 50 }, (_, i) => campaign({ cpmMinor: 1000 + i }));
    const index = buildIndex(campaigns, 1);
    const top = campaigns[49]!;
    const ranked = rankCandidates(index, listener(), now, {
      maxDurationMs: 30_000,
      limit: 5,
      exhausted: (id) => id === top.id,
    });
    expect(ranked).toHaveLength(5);
    expect(ranked.map((r) => r.campaign.cpmMinor)).toEqual([1048, 1047, 1046, 1045, 1044]);
  });

  it("picks a creative that fits the room left in the break", () => {
    const c = campaign({ creatives: [creative({ durationMs: 30_000 }), creative({ durationMs: 15_000 })] });
    const ranked = rankCandidates(buildIndex([c], 1), listener(), now, { maxDurationMs: 20_000, limit: 1 });
    expect(ranked[0]?.creative.durationMs).toBe(15_000);
  });
});
