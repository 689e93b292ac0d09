/**
 * Tracking beacons as players and stitchers fire them: counted once per AdServingId and event however often they
 * arrive, spend booked at impression, notUsed releasing budget, and every counted event sent once into the events
 * pipeline (parked and resent when the pipeline is down). Malformed and expired beacons: beacons.errors.test.ts;
 * forged and altered ones: beacons.security.test.ts.
 */
import { env } from "cloudflare:workers";
import { adDeliveryKey, adStatsKey } from "@cadence/shared/ads/keys";
import { utcDay } from "@cadence/shared/ads/model";
import { NO_FILL_VAST } from "@cadence/shared/ads/vast";
import { redisFor } from "@cadence/shared/edge";
import { eventSchema } from "@cadence/shared/events/schema";
import { beforeEach, describe, expect, it } from "vitest";
import { AD_EVENTS_OUTBOX_KEY } from "../src/ad-events";
import { resetIsolateState } from "../src/decision";
import { eventsSentFor, fire, isolatedAudience, listenerToken, oneAd, vast, waitFor } from "./helpers";
import { RECORDED_EVENTS_KEY } from "./recorded-events";

const redis = redisFor(env);
beforeEach(() => resetIsolateState());

describe("beacons", () => {
  it("count an impression once, book its spend once, and send one event to the pipeline", async () => {
    const { c, beacons, adServingId } = await oneAd(await isolatedAudience());
    const headers = { "x-device-ip": "198.51.100.23", "x-device-user-agent": "Mozilla/5.0 (iPhone)" };
    const first = await fire(beacons.impression!, headers);
    expect(first.status).toBe(204);
    expect(first.headers.get("x-beacon")).toBe("counted");
    const replay = await fire(beacons.impression!, headers);
    expect(replay.status).toBe(204);
    expect(replay.headers.get("x-beacon")).toBe("duplicate");
    for (const e of ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete"]) {
      expect((await fire(beacons[e]!)).headers.get("x-beacon")).toBe("counted");
      expect((await fire(beacons[e]!)).headers.get("x-beacon")).toBe("duplicate");
    }
    const stats = await redis.hgetall<Record<string, number>>(adStatsKey(c.id, utcDay(Date.now())));
    expect(stats).toMatchObject({ served: 1, impression: 1, spend: 2500, start: 1, firstQuartile: 1, complete: 1 });
    expect(await redis.hget<number>(adDeliveryKey(c.id), "spent")).toBe(2500);

    const sent = await waitFor(
      () => eventsSentFor(adServingId),
      (e) => e.length >= 6,
    );
    expect(sent.map((e) => e.type).sort()).toEqual([
      "ad_complete",
      "ad_first_quartile",
      "ad_impression",
      "ad_midpoint",
      "ad_start",
      "ad_third_quartile",
    ]);
    for (const e of sent) {
      expect(eventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
      expect(e).toMatchObject({
        campaign_id: c.id,
        creative_id: c.creatives[0]!.id,
        session_id: `vast:${adServingId}`,
      });
    }
  });

  it("notUsed releases the reservation: a budget of one impression serves again", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    const { beacons } = await oneAd(audience, { cpmMinor: 1000, totalBudgetMinor: 1 });
    expect(await (await vast(await listenerToken({ country }), audience, "max_ads=1")).text()).toBe(NO_FILL_VAST);
    expect((await fire(beacons.notUsed!)).headers.get("x-beacon")).toBe("counted");
    resetIsolateState();
    expect(await (await vast(await listenerToken({ country }), audience, "max_ads=1")).text()).toContain("<Ad ");
    // An impression after notUsed is not counted.
    expect((await fire(beacons.impression!)).headers.get("x-beacon")).toBe("ignored");
  });

  it("parks events while the pipeline is down and sends them with the next beacon", async () => {
    const { beacons, adServingId } = await oneAd(await isolatedAudience());
    await redis.set(`${RECORDED_EVENTS_KEY}:fail`, "1");
    try {
      expect((await fire(beacons.impression!)).status).toBe(204);
      const parked = await waitFor(
        () => redis.lrange<Record<string, string>>(AD_EVENTS_OUTBOX_KEY, 0, -1),
        (l) => l.some((e) => e.ad_serving_id === adServingId),
      );
      expect(parked.some((e) => e.ad_serving_id === adServingId && e.type === "ad_impression")).toBe(true);
    } finally {
      await redis.del(`${RECORDED_EVENTS_KEY}:fail`);
    }
    await fire(beacons.start!);
    const sent = await waitFor(
      () => eventsSentFor(adServingId),
      (e) => e.length >= 2,
    );
    expect(sent.map((e) => e.type).sort()).toEqual(["ad_impression", "ad_start"]);
  });
});
