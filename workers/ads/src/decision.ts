/**
 * One ad break for one listener, as both entrances need it (the VAST endpoint and playback's internal break
 * request): the listener's targeting context, the campaign index, the atomic reservation in Redis, and the VAST
 * rendering with signed beacons. Any failure of edge state (Redis unreachable, slow, or answering nonsense) is no
 * fill: an ad we cannot account for is never served, and the listener's music is never held up by an error.
 */
import { type AdPod, decideBreak, GuardMemo } from "@cadence/shared/ads/decide";
import type { BreakPosition } from "@cadence/shared/ads/model";
import type { ListenerContext } from "@cadence/shared/ads/targeting";
import { type RenderedPod, renderPod } from "@cadence/shared/ads/vast";
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { redisFor } from "@cadence/shared/edge";
import { withTimeout } from "@cadence/shared/http";
import type { Logger } from "@cadence/shared/log";
import { campaignIndex, resetCampaignCache } from "./campaign-cache";
import type { Env } from "./context";
import { adsSettings } from "./settings";

/** A decision that takes longer than this is abandoned as no fill (a reservation it made expires on its own). */
export const DECISION_TIMEOUT_MS = 1_000;
/** Beacons are accepted this long after the decision. */
const BEACON_LIFETIME_MS = 24 * 3600_000;

const memo = new GuardMemo();
const genreCache = new Map<string, { genres: string[]; until: number }>();

/** Genres of the track being played, from the catalog's edge record (cached a minute per isolate). */
async function trackGenres(env: Env, trackId: string | undefined, now: number): Promise<string[]> {
  if (!trackId) return [];
  const cached = genreCache.get(trackId);
  if (cached && cached.until > now) return cached.genres;
  const track = await redisFor(env).get<EdgeTrack>(catalogTrackKey(trackId));
  const genres = (track?.genres ?? []).map((g) => g.toLowerCase());
  if (genreCache.size > 10_000) genreCache.clear();
  genreCache.set(trackId, { genres, until: now + 60_000 });
  return genres;
}

/** Tests: forget what this isolate learned (campaigns, exhausted budgets, genres), as a fresh isolate would. */
export function resetIsolateState(): void {
  resetCampaignCache();
  memo.clear();
  genreCache.clear();
}

export interface BreakInput {
  listener: Omit<ListenerContext, "genres">;
  trackId?: string;
  session?: string;
  position: BreakPosition;
  maxDurationMs: number;
  maxAds: number;
}

export async function decideAndRender(
  env: Env,
  input: BreakInput,
  options: { baseUrl: string; log: Logger; waitUntil: (p: Promise<unknown>) => void; now?: number },
): Promise<RenderedPod & { filled: boolean }> {
  const now = options.now ?? Date.now();
  const { reservationTtlMs } = adsSettings(env);
  let pod: AdPod = { ads: [] };
  try {
    pod = await withTimeout(
      (async () => {
        const redis = redisFor(env);
        const [index, genres] = await Promise.all([
          campaignIndex(redis, now, options.waitUntil),
          trackGenres(env, input.trackId, now),
        ]);
        return decideBreak(index, { ...input, listener: { ...input.listener, genres } }, redis, {
          now,
          reservationTtlMs,
          memo,
        });
      })(),
      DECISION_TIMEOUT_MS,
    );
  } catch (err) {
    options.log.warn("ad decision fell back to no fill", { err: err instanceof Error ? err.message : String(err) });
  }
  const rendered = await renderPod(pod, {
    baseUrl: options.baseUrl,
    beaconSecret: env.ADS_BEACON_SECRET,
    beaconExpiresAt: now + BEACON_LIFETIME_MS,
    expiresSeconds: Math.floor(reservationTtlMs / 1000),
  });
  return { ...rendered, filled: pod.ads.length > 0 };
}
