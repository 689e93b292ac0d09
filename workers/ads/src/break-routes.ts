/**
 * `POST /internal/ads/break`: the playback worker (server-side ad insertion) asks for a break for a free listener's
 * session over its service binding, presenting the edge's service token. The answer carries the VAST and, per ad, what
 * a stitcher needs without parsing it again: the beacon URLs and the creative's HLS rendition.
 */
import { BREAK_POSITIONS, DEVICE_TYPES } from "@cadence/shared/ads/model";
import { isValidTimeZone } from "@cadence/shared/ads/targeting";
import { TIERS } from "@cadence/shared/auth/claims";
import { readJson } from "@cadence/shared/http";
import { Problem } from "@cadence/shared/problem";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context";
import { decideAndRender } from "./decision";

export const INTERNAL_BREAK_PATH = "/internal/ads/break";
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

async function sameSecret(given: string | undefined, expected: string): Promise<boolean> {
  if (!given || !expected) return false;
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(given)),
    crypto.subtle.digest("SHA-256", enc.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export function breakRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(INTERNAL_BREAK_PATH, async (c) => {
    if (!(await sameSecret(c.req.header("x-service-token"), c.env.SERVICE_TOKEN))) {
      throw new Problem(401, "service-token-invalid", "Internal break requests need the edge's service token.");
    }
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
