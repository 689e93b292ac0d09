/**
 * The one call the media-playlist route makes for ads: for a free session, plan (or recall) its break and splice it
 * into the playlist. Returns the playlist unchanged for premium and hifi, when no break is due, or when the ad
 * system cannot answer (the music always plays).
 */
import { adSessionBreakKey } from "@cadence/shared/ads/keys";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import { requestGeo } from "@cadence/shared/trust/geo";
import type { Redis } from "@upstash/redis/cloudflare";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { MediaPlaylist } from "../core/playlist";
import { adBreakFor } from "./break-plan";
import { splicePlaylist } from "./splice";

/** Where the track's first segment really is, for the `after` redirect (one per rendition and pathway). */
export const afterTargetKey = (sessionId: string, rendition: string, pathway: string) =>
  `${adSessionBreakKey(sessionId)}:after:${rendition}:${pathway}`;

export async function withAdBreak(
  c: Context<AppEnv>,
  redis: Redis,
  target: { session: PlaybackSession; rendition: string; pathway: string; playlist: MediaPlaylist; now: number },
): Promise<MediaPlaylist> {
  const { session, rendition, pathway, playlist, now } = target;
  if (session.tier !== "free") return playlist;
  try {
    const listener = {
      timeZone: requestGeo(c.req.raw).timeZone,
      userAgent: c.req.header("user-agent"),
      requestId: c.var.requestId,
    };
    const plan = await adBreakFor(c.env, redis, session, listener, now);
    if (!plan || plan.ads.length === 0 || !playlist.segments[0]) return playlist;
    const ttl = Math.max(60, Math.ceil((session.expiresAt - now) / 1000));
    await redis.set(afterTargetKey(session.id, rendition, pathway), playlist.segments[0].uri, { ex: ttl });
    const pt = c.req.query("pt") ?? "";
    const base = `/v1/play/${session.id}/ads`;
    return splicePlaylist(playlist, plan, {
      ad: (i, file) => `${base}/${i}/${file}?pt=${pt}`,
      after: `${base}/after/${rendition}/${pathway}?pt=${pt}`,
    });
  } catch (err) {
    c.var.log.warn("ad break skipped", { err: err instanceof Error ? err.message : String(err) });
    return playlist;
  }
}
