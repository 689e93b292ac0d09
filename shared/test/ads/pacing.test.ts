/**
 * Pacing: the plan (pure) and a simulated day of requests through the real decision path and Redis, with the clock
 * moved forward request by request. An even campaign with more traffic than budget delivers within 5% of its daily
 * budget and never runs ahead of the elapsed share of the day; front-loaded spends early; asap as fast as it can.
 */
import { describe, expect, it } from "vitest";
import { decideBreak, GuardMemo } from "../../src/ads/decide";
import { bookBeacon } from "../../src/ads/delivery";
import { DAY_MS, type EdgeCampaign, type PacingMode, utcDay } from "../../src/ads/model";
import { pacingStatus, planShare, spendCeilings } from "../../src/ads/pacing";
import { buildIndex } from "../../src/ads/ranking";
import { campaign, listener } from "./fixtures";
import { testRedis } from "./redis";

const redis = testRedis();

describe("the plan", () => {
  it("even is linear, front-loaded spends three quarters in the first half, asap all at once", () => {
    expect(planShare("even", 0.25)).toBeCloseTo(0.25);
    expect(planShare("front_loaded", 0.5)).toBeCloseTo(0.75);
    expect(planShare("asap", 0)).toBe(1);
  });

  it("caps the daily ceiling at the daily budget and the total at the total budget", () => {
    const day = Date.UTC(2026, 5, 1);
    const c = campaign({
      dailyBudgetMinor: 10_000,
      totalBudgetMinor: 50_000,
      pacing: "even",
      flightStart: day - DAY_MS,
      flightEnd: day + 10 * DAY_MS,
    });
    expect(spendCeilings(c, day + DAY_MS / 2)).toEqual({ daily: 5_000_000 + 50_000, total: 50_000_000 });
    expect(spendCeilings(c, day + DAY_MS - 1).daily).toBe(10_000_000);
  });

  it("reports pacing status against the plan", () => {
    const day = Date.UTC(2026, 5, 1);
    const c = campaign({
      dailyBudgetMinor: 10_000,
      pacing: "even",
      flightStart: day - DAY_MS,
      flightEnd: day + 10 * DAY_MS,
    });
    const noon = day + DAY_MS / 2;
    expect(pacingStatus(c, 5_000_000, noon)).toBe("on_track");
    expect(pacingStatus(c, 8_000_000, noon)).toBe("ahead");
    expect(pacingStatus(c, 2_000_000, noon)).toBe("behind");
  });
});

/** Runs `requests` evenly spread decisions over one UTC day; each served ad's impression fires at once. */
async function simulateDay(c: EdgeCampaign, day: number, requests: number) {
  const index = buildIndex([c], 1);
  const memo = new GuardMemo();
  const spentAt: number[] = []; // cumulative spend (milli) after each request
  let spent = 0;
  for (let i = 0; i < requests; i++) {
    const now = day + Math.floor(((i + 0.5) * DAY_MS) / requests);
    const pod = await decideBreak(
      index,
      { listener: listener(), position: "preroll", maxAds: 1, maxDurationMs: 30_000 },
      redis,
      {
        now,
        reservationTtlMs: 15 * 60_000,
        memo,
      },
    );
    for (const ad of pod.ads) {
      const booked = await bookBeacon(redis, {
        adServingId: ad.adServingId,
        campaignId: c.id,
        event: "impression",
        now,
        day: utcDay(now),
      });
      spent += booked.spend ?? 0;
    }
    spentAt.push(spent);
  }
  return spentAt;
}

function dayCampaign(pacing: PacingMode, day: number): EdgeCampaign {
  // Daily budget 50.00 at CPM 200.00: 250 impressions a day, against 1,000 requests.
  return campaign({
    pacing,
    dailyBudgetMinor: 5_000,
    totalBudgetMinor: 1_000_000,
    cpmMinor: 20_000,
    flightStart: day - DAY_MS,
    flightEnd: day + 30 * DAY_MS,
  });
}

describe("a simulated day", () => {
  const day = Date.UTC(2026, 2, 10);
  const requests = 1000;

  it("even pacing delivers within 5% of the daily budget without front-loading", async () => {
    const c = dayCampaign("even", day);
    const spentAt = await simulateDay(c, day, requests);
    const budget = 5_000 * 1000;
    const final = spentAt.at(-1)!;
    expect(final).toBeLessThanOrEqual(budget);
    expect(final).toBeGreaterThanOrEqual(budget * 0.95);
    for (const share of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      const spent = spentAt[Math.floor(requests * share) - 1]!;
      expect(spent / budget, `at ${share * 100}% of the day`).toBeLessThanOrEqual(share + 0.01);
      expect(spent / budget, `at ${share * 100}% of the day`).toBeGreaterThanOrEqual(share - 0.02);
    }
  }, 60_000);

  it("front-loaded pacing spends most of the budget in the first half, still within it", async () => {
    const c = dayCampaign("front_loaded", day + DAY_MS);
    const spentAt = await simulateDay(c, day + DAY_MS, requests);
    const budget = 5_000 * 1000;
    expect(spentAt[requests / 2 - 1]! / budget).toBeGreaterThan(0.7);
    expect(spentAt.at(-1)!).toBeLessThanOrEqual(budget);
    expect(spentAt.at(-1)!).toBeGreaterThanOrEqual(budget * 0.95);
  }, 60_000);

  it("asap pacing spends the day's budget as fast as requests come", async () => {
    const c = dayCampaign("asap", day + 2 * DAY_MS);
    const spentAt = await simulateDay(c, day + 2 * DAY_MS, requests);
    expect(spentAt[249]).toBe(5_000 * 1000);
    expect(spentAt.at(-1)).toBe(5_000 * 1000);
  }, 60_000);
});
