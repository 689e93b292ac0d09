/**
 * Tracking beacons as players and stitchers fire them: signed (forged, altered or expired ones are refused), counted
 * once per AdServingId and event however often they arrive, spend booked at impression, notUsed releasing budget, and
 * every counted event sent once into the events pipeline (parked and resent when the pipeline is down).
 */
import { env, exports } from "cloudflare:workers";
import { signBeacon } from "@cadence/shared/ads/beacon";
import { adDeliveryKey, adStatsKey } from "@cadence/shared/ads/keys";
import { utcDay } from "@cadence/shared/ads/model";
import { NO_FILL_VAST } from "@cadence/shared/ads/vast";
import { redisFor } from "@cadence/shared/edge";
import { eventSchema } from "@cadence/shared/events/schema";
import { beforeEach, describe, expect, it } from "vitest";
import { AD_EVENTS_OUTBOX_KEY } from "../src/ad-events";
import { resetIsolateState } from "../src/decision";
import { type Audience, beaconsIn, campaign, fire, isolatedAudience, listenerToken, publish, vast } from "./helpers";
import { RECORDED_EVENTS_KEY } from "./recorded-events";

const redis = redisFor(env);
beforeEach(() => resetIsolateState());

/** Events the EVENTS binding received for one AdServingId. */
async function eventsSentFor(adServingId: string) {
  const batches = (await redis.lrange<unknown[]>(RECORDED_EVENTS_KEY, 0, -1)) ?? [];
  return batches.flat().filter((e) => (e as { ad_serving_id?: string }).ad_serving_id === adServingId) as Array<
    Record<string, string>
  >;
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function oneAd(audience: Audience, overrides = {}) {
  const c = campaign(audience, { cpmMinor: 2500, ...overrides });
  await publish(c);
  const xml = await (await vast(await listenerToken({ country: audience.country }), audience, "max_ads=1")).text();
  const beacons = beaconsIn(xml)[0]!;
  const adServingId = /<AdServingId>([^<]+)</.exec(xml)![1]!;
  return { c, beacons, adServingId };
}

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

  it("refuse forged, altered, malformed and expired beacons", async () => {
    const { c, beacons, adServingId } = await oneAd(await isolatedAudience());
    const url = new URL(beacons.impression!);
    const forged = new URL(url);
    forged.searchParams.set("sig", "A".repeat(43));
    expect((await fire(forged.toString())).status).toBe(403);
    const otherEvent = new URL(url.toString().replace("/track/impression", "/track/complete"));
    expect((await fire(otherEvent.toString())).status).toBe(403);
    const otherCampaign = new URL(url);
    otherCampaign.searchParams.set("c", "cmp_someoneelse");
    expect((await fire(otherCampaign.toString())).status).toBe(403);
    const malformed = new URL(url);
    malformed.searchParams.delete("id");
    const bad = await fire(malformed.toString());
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect((await fire(url.toString().replace("/track/impression", "/track/teleport"))).status).toBe(400);
    const exp = Date.now() - 1000;
    const sig = await signBeacon(env.ADS_BEACON_SECRET, { adServingId, campaignId: c.id, event: "impression", exp });
    const expired = await fire(
      `https://ads.test/v1/ads/track/impression?id=${adServingId}&c=${c.id}&exp=${exp}&sig=${sig}`,
    );
    expect(expired.status).toBe(410);
    expect(await redis.hget<number>(adStatsKey(c.id, utcDay(Date.now())), "impression")).toBeNull();
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

describe("internal break requests", () => {
  it("need the service token and answer the VAST with each ad's beacons and HLS rendition", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    const c = campaign(audience);
    await publish(c);
    const body = {
      listener: { sub: "listener-x", tier: "free", country, time_zone: "Europe/Berlin", device_type: "mobile" },
      session_id: "sess-123",
      track_id: audience.trackId,
      max_duration_ms: 60_000,
      max_ads: 2,
    };
    const post = (headers: Record<string, string>) =>
      exports.default.fetch("http://ads.test/internal/ads/break", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ "x-service-token": "wrong-token-wrong-token" })).status).toBe(401);
    const res = await post({ "x-service-token": env.SERVICE_TOKEN });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as {
      vast: string;
      ads: Array<{ campaignId: string; beacons: Record<string, string>; hls: { segments: unknown[] } }>;
    };
    expect(plan.ads).toHaveLength(1);
    expect(plan.ads[0]).toMatchObject({ campaignId: c.id, hls: { segments: c.creatives[0]!.hls.segments } });
    expect(plan.vast).toContain(`<Ad id="${c.id}"`);
    // Its beacons are recorded with the playback session.
    expect((await fire(plan.ads[0]!.beacons.impression!)).headers.get("x-beacon")).toBe("counted");
    const adServingId = new URL(plan.ads[0]!.beacons.impression!).searchParams.get("id")!;
    const sent = await waitFor(
      () => eventsSentFor(adServingId),
      (e) => e.length >= 1,
    );
    expect(sent[0]).toMatchObject({ session_id: "sess-123", track_id: audience.trackId, type: "ad_impression" });
  });
});
