/**
 * Beacons the worker refuses as the caller's mistake: malformed ones (a parameter missing, an event VAST does not
 * define) are a 400 problem, an expired one a 410; none of them counts anything.
 */
import { env } from "cloudflare:workers";
import { signBeacon } from "@cadence/shared/ads/beacon";
import { adStatsKey } from "@cadence/shared/ads/keys";
import { utcDay } from "@cadence/shared/ads/model";
import { redisFor } from "@cadence/shared/edge";
import { beforeEach, describe, expect, it } from "vitest";
import { resetIsolateState } from "../src/decision";
import { fire, isolatedAudience, oneAd } from "./helpers";

const redis = redisFor(env);
beforeEach(() => resetIsolateState());

describe("beacons: errors", () => {
  it("refuse malformed and expired beacons, and count nothing", async () => {
    const { c, beacons, adServingId } = await oneAd(await isolatedAudience());
    const url = new URL(beacons.impression!);
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
});
