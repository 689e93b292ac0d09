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
import type { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../context";

/** What a session's playlists splice; `ads` is empty when no break is due or nothing filled. */
export interface AdBreakPlan {
  plannedAt: number;
  ads: Array<
    Pick<RenderedAd, "adServingId" | "campaignId" | "creativeId" | "durationMs" | "beacons" | "mediaBaseUrl" | "hls">
  >;
}

const ADS_BREAK_URL = "https://ads.internal/internal/ads/break";
const PENDING = "pending";

export interface BreakSettings {
  intervalMs: number;
  maxDurationMs: number;
  maxAds: number;
}

export function breakSettings(env: Env): BreakSettings {
  const num = (v: string | undefined, d: number) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    intervalMs: num(env.AD_BREAK_INTERVAL_MINUTES, 15) * 60_000,
    maxDurationMs: num(env.AD_BREAK_MAX_SECONDS, 30) * 1000,
    maxAds: Math.floor(num(env.AD_BREAK_MAX_ADS, 2)),
  };
}

export interface ListenerRequest {
  timeZone?: string;
  userAgent?: string;
}

async function requestBreak(
  env: Env,
  session: PlaybackSession,
  request: ListenerRequest,
  settings: BreakSettings,
): Promise<AdBreakPlan["ads"]> {
  const res = await env.ADS.fetch(ADS_BREAK_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-service-token": env.SERVICE_TOKEN },
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
    const settings = breakSettings(env);
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
