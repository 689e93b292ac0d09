/**
 * `GET /v1/ads/vast`: a listener's player asks for an ad break and gets VAST 4.2. The listener comes from the access
 * token (header, or `?token=` for players that cannot set headers); where they are, their time zone and device from
 * the request; the genres from the track they are playing (`track_id`, looked up in the catalog's edge record).
 */
import { BREAK_POSITIONS, DEVICE_TYPES } from "@cadence/shared/ads/model";
import { deviceTypeFromUserAgent } from "@cadence/shared/ads/targeting";
import { edgeAuth } from "@cadence/shared/edge";
import { parseWith } from "@cadence/shared/http";
import { problems } from "@cadence/shared/problem";
import { isValidTimeZone, requestGeo } from "@cadence/shared/trust/geo";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context";
import { decideAndRender } from "./decision";

const vastQuery = z.object({
  position: z.enum(BREAK_POSITIONS, `position must be one of ${BREAK_POSITIONS.join(", ")}`).default("preroll"),
  /** Seconds the break may last. */
  max_duration: z.coerce
    .number()
    .int("max_duration is whole seconds")
    .min(5, "max_duration is at least 5 s")
    .max(300, "max_duration is at most 300 s")
    .default(60),
  max_ads: z.coerce.number().int().min(1, "max_ads is at least 1").max(5, "max_ads is at most 5").default(2),
  track_id: z
    .string()
    .regex(/^[A-Za-z0-9._:~-]{1,128}$/, "track_id is a catalog track id")
    .optional(),
  device: z.enum(DEVICE_TYPES, `device must be one of ${DEVICE_TYPES.join(", ")}`).optional(),
  tz: z.string().max(64).refine(isValidTimeZone, "tz must be an IANA time zone such as Europe/Berlin").optional(),
});

export const VAST_CONTENT_TYPE = "application/xml; charset=utf-8";

export function vastRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/v1/ads/vast", edgeAuth({ allowQueryToken: true }), async (c) => {
    const claims = c.var.claims;
    if (!claims) throw problems.internal(new Error("auth middleware set no claims"));
    const q = parseWith(vastQuery, c.req.query(), "query");
    // Where the listener is now (request.cf); the account's country when Cloudflare does not know (XX, Tor).
    const geo = requestGeo(c.req.raw);
    const country = geo.country !== "XX" ? geo.country : claims.country;
    const result = await decideAndRender(
      c.env,
      {
        listener: {
          sub: claims.sub,
          tier: claims.tier,
          country: country.toUpperCase(),
          timeZone: q.tz ?? geo.timeZone ?? "UTC",
          deviceType: q.device ?? deviceTypeFromUserAgent(c.req.header("user-agent")),
        },
        trackId: q.track_id,
        position: q.position,
        maxDurationMs: q.max_duration * 1000,
        maxAds: q.max_ads,
      },
      { baseUrl: new URL(c.req.url).origin, log: c.var.log, waitUntil: (p) => c.executionCtx.waitUntil(p) },
    );
    return c.body(result.xml, 200, {
      "content-type": VAST_CONTENT_TYPE,
      "cache-control": "private, no-store",
      "x-ad-fill": result.filled ? String(result.ads.length) : "0",
    });
  });
  return app;
}
