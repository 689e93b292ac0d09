/**
 * The spliced break's own URLs on the playback worker, with the session's playback token:
 * - `GET /v1/play/{session}/ads/{ad}/{file}`: an ad's init or media segment, served from the ads worker's media (edge
 *   cached there). Fetching a segment fires that ad's beacons server-side, with `X-Device-IP` and
 *   `X-Device-User-Agent` as the IAB asks: the impression and `start` on its first segment, each quartile on the segment
 *   where it begins, and the previous ad's `complete` when the next ad begins.
 * - `GET /v1/play/{session}/ads/after/{rendition}/{pathway}`: the track's first segment; fires the last ad's
 *   `complete`, then redirects to the CDN URL the playlist would have had.
 * Impressions are counted here, server-side, and only here: players never see these ads' VAST, so nothing else can
 * fire them; the ads worker counts each AdServingId and event once whatever arrives.
 */
import { expandVastMacros } from "@cadence/shared/ads/beacon";
import { adSessionBreakKey } from "@cadence/shared/ads/keys";
import type { BeaconEvent } from "@cadence/shared/ads/model";
import { redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import type { Context } from "hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context";
import { PLAYBACK_TOKEN_PROBLEM, verifyPlaybackToken } from "../core/playback-token";
import type { AdBreakPlan } from "./break-plan";
import { afterTargetKey } from "./insert";
import { beaconsAtEnd, beaconsForSegment, fileOf } from "./splice";

async function sessionPlan(c: Context<AppEnv>): Promise<AdBreakPlan> {
  const sessionId = c.req.param("sessionId") ?? "";
  const check = await verifyPlaybackToken(
    c.env.PLAYBACK_TOKEN_SECRET,
    c.req.query("pt"),
    Math.floor(Date.now() / 1000),
  );
  if (!check.ok) {
    const detail =
      check.reason === "expired"
        ? "This playback session has expired."
        : "Ad segments need the session's playback token.";
    throw new Problem(PLAYBACK_TOKEN_PROBLEM[check.reason], detail);
  }
  if (check.claims.sid !== sessionId) {
    throw new Problem("token-wrong-session", "This playback token is for another session.", {
      extensions: { mismatch: "session" },
    });
  }
  const plan = await redisFor(c.env)
    .get<AdBreakPlan>(adSessionBreakKey(sessionId))
    .catch(() => null);
  if (!plan || typeof plan !== "object") throw problems.notFound("This session has no ad break.");
  return plan;
}

/** Fires beacons as the stitcher: through the ads worker's binding, with the device's address and user agent. */
function fire(c: Context<AppEnv>, urls: string[]): void {
  const headers = {
    "x-device-ip": c.req.header("cf-connecting-ip") ?? "",
    "x-device-user-agent": c.req.header("user-agent") ?? "",
  };
  const now = new Date();
  c.executionCtx.waitUntil(
    Promise.all(
      urls.map(async (url) => {
        const filled = expandVastMacros(url, {
          TIMESTAMP: now.toISOString(),
          CACHEBUSTING: String(Math.floor(Math.random() * 1e8)).padStart(8, "0"),
        });
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            const res = await c.env.ADS.fetch(filled, { headers });
            await res.body?.cancel();
            if (res.status < 500) return;
          } catch {
            // retry
          }
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
        c.var.log.warn("ad beacon could not be delivered", { url: url.split("?")[0] });
      }),
    ),
  );
}

export function adRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    "/v1/play/:sessionId/ads/*",
    cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["content-length"] }),
  );

  app.get("/v1/play/:sessionId/ads/after/:rendition/:pathway", async (c) => {
    const plan = await sessionPlan(c);
    const target = await redisFor(c.env)
      .get<string>(afterTargetKey(c.req.param("sessionId"), c.req.param("rendition"), c.req.param("pathway")))
      .catch(() => null);
    if (!target) throw problems.notFound("No track segment follows this break here.");
    const last = plan.ads.at(-1);
    if (last)
      fire(
        c,
        beaconsAtEnd(last.hls.segments).map((e) => last.beacons[e]),
      );
    return c.redirect(target, 302);
  });

  app.get("/v1/play/:sessionId/ads/:ad{[0-9]}/:file", async (c) => {
    const plan = await sessionPlan(c);
    const index = Number(c.req.param("ad"));
    const ad = plan.ads[index];
    if (!ad) throw problems.notFound(`This break has no ad ${index}.`);
    const file = c.req.param("file");
    const k = ad.hls.segments.findIndex((s) => fileOf(s.uri) === file);
    const path = fileOf(ad.hls.init) === file ? ad.hls.init : ad.hls.segments[k]?.uri;
    if (!path) throw problems.notFound(`This ad has no file ${file}.`);
    let res: Response;
    try {
      res = await c.env.ADS.fetch(`${ad.mediaBaseUrl}/${path}`);
    } catch {
      throw problems.unavailable("ad-media-unavailable", "The ad's audio is briefly unavailable.");
    }
    if (!res.ok) throw problems.unavailable("ad-media-unavailable", "The ad's audio is briefly unavailable.");
    if (k >= 0) {
      const events: BeaconEvent[] = beaconsForSegment(ad.hls.segments, k);
      const urls = events.map((e) => ad.beacons[e]);
      const previous = plan.ads[index - 1];
      if (k === 0 && previous) urls.push(...beaconsAtEnd(previous.hls.segments).map((e) => previous.beacons[e]));
      if (urls.length > 0) fire(c, urls);
    }
    const headers = new Headers({ "content-type": "audio/mp4", "cache-control": "private, no-store" });
    const length = res.headers.get("content-length");
    if (length) headers.set("content-length", length);
    return new Response(res.body, { headers });
  });
  return app;
}
