/**
 * Decisions against real Redis (through the Upstash bridge): frequency caps and budgets hold under concurrent
 * requests, competitive separation inside a pod, reservations released by notUsed or by expiry, and beacons
 * counted once whatever arrives twice.
 */
import { describe, expect, it } from "vitest";
import { type AdPod, decideBreak, GuardMemo } from "../../src/ads/decide";
import { bookBeacon } from "../../src/ads/delivery";
import { adDeliveryKey, adStatsKey } from "../../src/ads/keys";
import { type EdgeCampaign, utcDay } from "../../src/ads/model";
import { buildIndex } from "../../src/ads/ranking";
import { campaign, creative, listener } from "./fixtures";
import { testRedis } from "./redis";

const redis = testRedis();
const TTL = 15 * 60_000;

function decide(
  campaigns: EdgeCampaign[],
  l = listener(),
  opts: { maxAds?: number; maxDurationMs?: number; now?: number } = {},
) {
  return decideBreak(
    buildIndex(campaigns, 1),
    { listener: l, position: "preroll", maxAds: opts.maxAds ?? 1, maxDurationMs: opts.maxDurationMs ?? 60_000 },
    redis,
    { now: opts.now ?? Date.now(), reservationTtlMs: TTL },
  );
}

const served = (pods: AdPod[]) => pods.reduce((n, p) => n + p.ads.length, 0);

async function book(pod: AdPod, event: Parameters<typeof bookBeacon>[1]["event"], now = Date.now()) {
  const ad = pod.ads[0]!;
  return bookBeacon(redis, { adServingId: ad.adServingId, campaignId: ad.campaign.id, event, now, day: utcDay(now) });
}

describe("frequency caps", () => {
  it("never lets one listener exceed the cap, even with 40 decisions at once", async () => {
    const capped = campaign({ frequencyCaps: [{ count: 3, windowSeconds: 3600 }] });
    const l = listener();
    const pods = await Promise.all(Array.from({ length: 40 }, () => decide([capped], l)));
    expect(served(pods)).toBe(3);
    // Another listener has a cap of their own.
    expect(served([await decide([capped])])).toBe(1);
  });

  it("applies every window: 1 per minute and 2 per hour", async () => {
    const c = campaign({
      frequencyCaps: [
        { count: 1, windowSeconds: 60 },
        { count: 2, windowSeconds: 3600 },
      ],
    });
    const l = listener();
    const t0 = Date.now();
    expect(served([await decide([c], l, { now: t0 })])).toBe(1);
    expect(served([await decide([c], l, { now: t0 + 30_000 })])).toBe(0);
    expect(served([await decide([c], l, { now: t0 + 61_000 })])).toBe(1);
    expect(served([await decide([c], l, { now: t0 + 130_000 })])).toBe(0);
    expect(served([await decide([c], l, { now: t0 + 3_601_000 })])).toBe(1);
  });

  it("gives the cap back when the player reports notUsed", async () => {
    const c = campaign({ frequencyCaps: [{ count: 1, windowSeconds: 3600 }] });
    const l = listener();
    const pod = await decide([c], l);
    expect(served([await decide([c], l)])).toBe(0);
    expect(await book(pod, "notUsed")).toMatchObject({ outcome: "counted" });
    expect(served([await decide([c], l)])).toBe(1);
  });
});

describe("budgets", () => {
  it("reserves at decision so concurrent requests never overspend, and books spend at impression", async () => {
    // CPM 10.00 = 1 cent per impression; a total budget of 10 cents buys exactly 10 impressions.
    const c = campaign({ cpmMinor: 1000, totalBudgetMinor: 10 });
    const pods = await Promise.all(Array.from({ length: 40 }, () => decide([c])));
    const filled = pods.filter((p) => p.ads.length > 0);
    expect(filled).toHaveLength(10);
    for (const pod of filled) expect((await book(pod, "impression")).outcome).toBe("counted");
    const delivery = await redis.hgetall<Record<string, number>>(adDeliveryKey(c.id));
    expect(delivery).toMatchObject({ spent: 10_000, res: 0 });
    expect(served([await decide([c])])).toBe(0);
  });

  it("releases the reservation of an ad that was not played (notUsed) or that timed out", async () => {
    const c = campaign({ cpmMinor: 1000, totalBudgetMinor: 1 });
    const t0 = Date.now();
    const first = await decide([c], listener(), { now: t0 });
    expect(served([first])).toBe(1);
    expect(served([await decide([c], listener(), { now: t0 + 1000 })])).toBe(0);
    await book(first, "notUsed");
    const second = await decide([c], listener(), { now: t0 + 2000 });
    expect(served([second])).toBe(1);
    // Neither impression nor notUsed: the reservation expires and the budget is free again.
    expect(served([await decide([c], listener(), { now: t0 + 2000 + TTL - 1 })])).toBe(0);
    expect(served([await decide([c], listener(), { now: t0 + 2000 + TTL + 1 })])).toBe(1);
  });

  it("stops a daily budget for the day and reports it to the memo", async () => {
    const c = campaign({ cpmMinor: 1000, dailyBudgetMinor: 2, totalBudgetMinor: 100 });
    const memo = new GuardMemo();
    const index = buildIndex([c], 1);
    const run = () =>
      decideBreak(index, { listener: listener(), position: "preroll", maxAds: 1, maxDurationMs: 30_000 }, redis, {
        now: Date.now(),
        reservationTtlMs: TTL,
        memo,
      });
    expect(served([await run(), await run()])).toBe(2);
    expect(served([await run()])).toBe(0);
    expect(memo.blocked(c.id, Date.now())).toBe(true);
  });
});

describe("pods", () => {
  it("separates competitors: one ad per category and per advertiser in a break", async () => {
    const carA = campaign({
      cpmMinor: 3000,
      category: "automotive",
      advertiserId: "adv-a",
      advertiserDomain: "a.example",
    });
    const carB = campaign({
      cpmMinor: 2900,
      category: "Automotive",
      advertiserId: "adv-b",
      advertiserDomain: "b.example",
    });
    const travelA = campaign({
      cpmMinor: 2800,
      category: "travel",
      advertiserId: "adv-a",
      advertiserDomain: "a.example",
    });
    const food = campaign({ cpmMinor: 1000, category: "food", advertiserId: "adv-c", advertiserDomain: "c.example" });
    const pod = await decide([carA, carB, travelA, food], listener(), { maxAds: 3 });
    expect(pod.ads.map((a) => a.campaign.id)).toEqual([carA.id, food.id]);
    expect(pod.ads.map((a) => a.sequence)).toEqual([1, 2]);
  });

  it("fills a break up to its duration and ad count", async () => {
    const long = campaign({
      cpmMinor: 3000,
      advertiserId: "x1",
      advertiserDomain: "x1.example",
      creatives: [creative({ durationMs: 30_000 })],
    });
    const short1 = campaign({ cpmMinor: 2000, advertiserId: "x2", advertiserDomain: "x2.example" });
    const short2 = campaign({ cpmMinor: 1000, advertiserId: "x3", advertiserDomain: "x3.example" });
    const pod = await decide([long, short1, short2], listener(), { maxAds: 3, maxDurationMs: 45_000 });
    expect(pod.ads.map((a) => a.creative.durationMs)).toEqual([30_000, 15_000]);
    const two = await decide([long, short1, short2], listener(), { maxAds: 2, maxDurationMs: 90_000 });
    expect(two.ads).toHaveLength(2);
  });
});

describe("beacons", () => {
  it("counts each event once per AdServingId and books the spend once", async () => {
    const c = campaign({ cpmMinor: 2500 });
    const pod = await decide([c]);
    expect(await book(pod, "impression")).toMatchObject({ outcome: "counted", spend: 2500 });
    expect(await book(pod, "impression")).toMatchObject({ outcome: "duplicate" });
    for (const e of ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete"] as const) {
      expect((await book(pod, e)).outcome).toBe("counted");
      expect((await book(pod, e)).outcome).toBe("duplicate");
    }
    // notUsed after the ad played is contradictory and changes nothing.
    expect(await book(pod, "notUsed")).toMatchObject({ outcome: "ignored" });
    const stats = await redis.hgetall<Record<string, number>>(adStatsKey(c.id, utcDay(Date.now())));
    expect(stats).toMatchObject({ served: 1, impression: 1, spend: 2500, firstQuartile: 1, complete: 1 });
    expect(stats?.notUsed).toBeUndefined();
  });

  it("refuses to book an impression after notUsed, and knows nothing of ids it never served", async () => {
    const c = campaign();
    const pod = await decide([c]);
    await book(pod, "notUsed");
    expect(await book(pod, "impression")).toMatchObject({ outcome: "ignored", state: "released" });
    expect(
      await bookBeacon(redis, {
        adServingId: crypto.randomUUID(),
        campaignId: c.id,
        event: "impression",
        now: Date.now(),
        day: utcDay(Date.now()),
      }),
    ).toEqual({ outcome: "unknown" });
  });

  it("books a late impression only up to what the budget still allows", async () => {
    const c = campaign({ cpmMinor: 1000, totalBudgetMinor: 1 });
    const t0 = Date.now();
    const late = await decide([c], listener(), { now: t0 });
    // The reservation expires; another listener takes the budget and plays the ad.
    const other = await decide([c], listener(), { now: t0 + TTL + 1 });
    expect((await book(other, "impression", t0 + TTL + 2)).spend).toBe(1000);
    expect(await book(late, "impression", t0 + TTL + 3)).toMatchObject({ outcome: "counted", spend: 0 });
    expect(await redis.hget<number>(adDeliveryKey(c.id), "spent")).toBe(1000);
  });
});
