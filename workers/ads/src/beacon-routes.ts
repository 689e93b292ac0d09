/**
 * `GET /v1/ads/track/{event}`: the tracking beacons a VAST answer carries (impression, quartiles, complete, skip,
 * notUsed, error). Each is verified (HMAC signature, expiry), then deduped and booked in one Redis script: counted
 * once per AdServingId and event however often it arrives; the impression books the spend, notUsed (or an error
 * before the impression) releases the reservation and the frequency-cap slot. Counted events go on to the events
 * pipeline. The stitcher (playback) fires these server-side with `X-Device-IP` and `X-Device-User-Agent`.
 */
import { verifyBeacon } from "@cadence/shared/ads/beacon";
import { bookBeacon } from "@cadence/shared/ads/delivery";
import { adEventOf, isPipelineEvent } from "@cadence/shared/ads/events";
import { utcDay } from "@cadence/shared/ads/model";
import { redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import { Hono } from "hono";
import { sendAdEvents } from "./ad-events";
import type { AppEnv } from "./context";

export function beaconRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/v1/ads/track/:event", async (c) => {
    const now = Date.now();
    const q = c.req.query();
    const check = await verifyBeacon(
      c.env.ADS_BEACON_SECRET,
      { event: c.req.param("event"), id: q.id, c: q.c, exp: q.exp, sig: q.sig },
      now,
    );
    if (!check.ok) throw new Problem(check.code, check.detail);
    const { claims } = check;
    let outcome: Awaited<ReturnType<typeof bookBeacon>>;
    try {
      outcome = await bookBeacon(redisFor(c.env), {
        adServingId: claims.adServingId,
        campaignId: claims.campaignId,
        event: claims.event,
        now,
        day: utcDay(now),
      });
    } catch {
      throw problems.unavailable("tracking-unavailable", "Tracking is briefly unavailable; fire the beacon again.", 2);
    }
    if (outcome.outcome === "unknown") throw new Problem("ad-serving-expired", "This ad serving is no longer tracked.");
    if (outcome.outcome === "counted" && isPipelineEvent(claims.event) && outcome.ctx) {
      const event = await adEventOf(
        claims.event,
        {
          adServingId: claims.adServingId,
          campaignId: claims.campaignId,
          creativeId: outcome.ctx.creative || "",
          session: outcome.ctx.session || "",
          trackId: outcome.ctx.track || "",
        },
        now,
      );
      c.executionCtx.waitUntil(sendAdEvents(c.env, [event], c.var.log));
    }
    const device = c.req.header("x-device-ip") ?? c.req.header("cf-connecting-ip");
    c.var.log.debug("beacon", {
      event: claims.event,
      outcome: outcome.outcome,
      device_ip: device,
      device_ua: c.req.header("x-device-user-agent") ?? c.req.header("user-agent"),
    });
    return c.body(null, 204, { "cache-control": "no-store", "x-beacon": outcome.outcome });
  });
  return app;
}
