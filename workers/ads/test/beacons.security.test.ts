/**
 * Beacons are signed: a forged signature, or a genuine one moved to another event or campaign, is a 403 and counts
 * nothing.
 */
import { env } from "cloudflare:workers";
import { adStatsKey } from "@cadence/shared/ads/keys";
import { utcDay } from "@cadence/shared/ads/model";
import { redisFor } from "@cadence/shared/edge";
import { beforeEach, describe, expect, it } from "vitest";
import { resetIsolateState } from "../src/decision";
import { fire, isolatedAudience, oneAd } from "./helpers";

const redis = redisFor(env);
beforeEach(() => resetIsolateState());

describe("beacons: security", () => {
  it("refuse forged and altered beacons, and count nothing", async () => {
    const { c, beacons } = await oneAd(await isolatedAudience());
    const url = new URL(beacons.impression!);
    const forged = new URL(url);
    forged.searchParams.set("sig", "A".repeat(43));
    expect((await fire(forged.toString())).status).toBe(403);
    const otherEvent = new URL(url.toString().replace("/track/impression", "/track/complete"));
    expect((await fire(otherEvent.toString())).status).toBe(403);
    const otherCampaign = new URL(url);
    otherCampaign.searchParams.set("c", "cmp_someoneelse");
    expect((await fire(otherCampaign.toString())).status).toBe(403);
    expect(await redis.hget<number>(adStatsKey(c.id, utcDay(Date.now())), "impression")).toBeNull();
  });
});
