/**
 * Server-side ad insertion for free listeners: when a free session's media playlist is built, a break is planned once
 * per session (at the start of listening, then again once `AD_BREAK_INTERVAL_MINUTES` have passed since the last break)
 * by asking the ads worker over its service binding. The plan is kept in Redis with the session, so every reload and
 * every pathway's playlist splices the same ads, and a lock makes sure concurrent playlist requests ask only once.
 * Premium and hifi sessions never get a break. Any failure (ads worker or Redis down) means no break, never an error.
 */
import { adLastBreakKey, adSessionBreakKey } from "@cadence/shared/ads/keys";
import { deviceTypeFromUserAgent } from "@cadence/shared/ads/targeting";
import type { RenderedAd } from "@cadence/shared/ads/vast";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import type { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../context";
import { type AdBreakSettings, playbackConfig } from "../core/config";

/** What a session's playlists splice; `ads` is empty when no break is due or nothing filled. */
export interface AdBreakPlan {
  plannedAt: number;
  ads: Array<
    Pick<RenderedAd, "adServingId" | "campaignId" | "creativeId" | "durationMs" | "beacons" | "mediaBaseUrl" | "hls">
  >;
}

/** The ads worker behind the `ADS` service binding (the host is a placeholder: the binding routes the request). */
const ADS_WORKER = "https://ads.internal";
/** The ads worker's internal route for a break (service token; workers/ads/src/break-routes.ts). */
const ADS_BREAK_PATH = "/v1/internal/ads/break";
const PENDING = "pending";

export interface ListenerRequest {
  timeZone?: string;
  userAgent?: string;
  /** The playlist request's id, passed on so both workers' logs line up. */
  requestId?: string;
}

async function requestBreak(
  env: Env,
  session: PlaybackSession,
  request: ListenerRequest,
  settings: AdBreakSettings,
): Promise<AdBreakPlan["ads"]> {
  const res = await serviceFetch({ baseUrl: ADS_WORKER, token: env.SERVICE_TOKEN }, ADS_BREAK_PATH, {
    via: (req) => env.ADS.fetch(req),
    requestId: request.requestId,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      listener: {
        sub: session.sub,
        tier: session.tier,
        country: session.country,
        time_zone: request.timeZone ?? "UTC",
        device_type: deviceTypeFromUserAgent(request.userAgent),
      },
      track_id: session.trackId,
      session_id: session.id,
      position: "preroll",
      max_duration_ms: settings.maxDurationMs,
      max_ads: settings.maxAds,
    }),
  });
  if (!res.ok) throw new Error(`ads worker answered ${res.status}`);
  const body = (await res.json()) as { ads: AdBreakPlan["ads"] };
  return body.ads.map(({ adServingId, campaignId, creativeId, durationMs, beacons, mediaBaseUrl, hls }) => ({
    adServingId,
    campaignId,
    creativeId,
    durationMs,
    beacons,
    mediaBaseUrl,
    hls,
  }));
}

/** The session's plan, planning it now if this is the first playlist of the session. */
export async function adBreakFor(
  env: Env,
  redis: Redis,
  session: PlaybackSession,
  request: ListenerRequest,
  now: number,
): Promise<AdBreakPlan | null> {
  if (session.tier !== "free") return null;
  const key = adSessionBreakKey(session.id);
  const ttlSeconds = Math.max(60, Math.ceil((session.expiresAt - now) / 1000));
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = await redis.get<AdBreakPlan | string>(key);
    if (existing && typeof existing === "object") return existing;
    if (existing === PENDING) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if ((await redis.set(key, PENDING, { nx: true, ex: 10 })) === null) continue;
    const settings = playbackConfig(env).adBreak;
    const last = Number((await redis.get<number>(adLastBreakKey(session.sub))) ?? 0);
    let ads: AdBreakPlan["ads"] = [];
    if (now - last >= settings.intervalMs) {
      ads = await requestBreak(env, session, request, settings).catch(() => []);
      if (ads.length > 0)
        await redis.set(adLastBreakKey(session.sub), now, { ex: Math.ceil(settings.intervalMs / 1000) * 4 });
    }
    const plan: AdBreakPlan = { plannedAt: now, ads };
    await redis.set(key, JSON.stringify(plan), { ex: ttlSeconds });
    return plan;
  }
  return null;
}
