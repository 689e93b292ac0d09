/**
 * `POST /v1/internal/ads/break`: the playback worker (server-side ad insertion) asks for a break for a free listener's
 * session over its service binding, presenting the edge's service token. The answer carries the VAST and, per ad, what
 * a stitcher needs without parsing it again: the beacon URLs and the creative's HLS rendition.
 */
import { BREAK_POSITIONS, DEVICE_TYPES } from "@cadence/shared/ads/model";
import { TIERS } from "@cadence/shared/auth/claims";
import { readJson } from "@cadence/shared/http";
import { isValidTimeZone } from "@cadence/shared/trust/geo";
import { requireServiceToken } from "@cadence/shared/trust/service-call";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context";
import { decideAndRender } from "./decision";

export const INTERNAL_BREAK_PATH = "/v1/internal/ads/break";
/** The base of beacon and media URLs handed to the stitcher, which reaches them over its service binding. */
export const INTERNAL_BASE_URL = "https://ads.internal";

const breakBody = z.object({
  listener: z.object({
    sub: z.string().min(1).max(128),
    tier: z.enum(TIERS),
    country: z.string().regex(/^[A-Za-z]{2}$/),
    time_zone: z.string().max(64).refine(isValidTimeZone, "time_zone must be an IANA time zone").default("UTC"),
    device_type: z.enum(DEVICE_TYPES).default("other"),
  }),
  track_id: z.string().min(1).max(128).optional(),
  session_id: z.string().min(1).max(128),
  position: z.enum(BREAK_POSITIONS).default("preroll"),
  max_duration_ms: z.number().int().min(5_000).max(300_000),
  max_ads: z.number().int().min(1).max(5),
});

export function breakRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(INTERNAL_BREAK_PATH, async (c) => {
    requireServiceToken(c.req.raw.headers, c.env.SERVICE_TOKEN);
    const body = await readJson(c, breakBody);
    const result = await decideAndRender(
      c.env,
      {
        listener: {
          sub: body.listener.sub,
          tier: body.listener.tier,
          country: body.listener.country.toUpperCase(),
          timeZone: body.listener.time_zone,
          deviceType: body.listener.device_type,
        },
        trackId: body.track_id,
        session: body.session_id,
        position: body.position,
        maxDurationMs: body.max_duration_ms,
        maxAds: body.max_ads,
      },
      { baseUrl: INTERNAL_BASE_URL, log: c.var.log, waitUntil: (p) => c.executionCtx.waitUntil(p) },
    );
    c.header("cache-control", "no-store");
    return c.json({ vast: result.xml, ads: result.ads });
  });
  return app;
}
