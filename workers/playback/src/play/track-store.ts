/**
 * Reads the EdgeTrack records the catalog publishes to Redis, with a short per-isolate cache: a hot track is read
 * from Redis at most once per isolate every few seconds, so a takedown or a new deal reaches every edge within
 * TRACK_CACHE_MS while a popular release does not hammer Redis.
 */
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import type { Redis } from "@upstash/redis/cloudflare";

export const TRACK_CACHE_MS = 3_000;
const cache = new Map<string, { track: EdgeTrack | null; until: number }>();

export function cachedTrack(trackId: string, now = Date.now()): EdgeTrack | null | undefined {
  const hit = cache.get(trackId);
  return hit && hit.until > now ? hit.track : undefined;
}

export function rememberTrack(trackId: string, track: EdgeTrack | null, now = Date.now()): void {
  if (cache.size > 5_000) cache.clear();
  cache.set(trackId, { track, until: now + TRACK_CACHE_MS });
}

export async function readTrack(redis: Redis, trackId: string): Promise<EdgeTrack | null> {
  const cached = cachedTrack(trackId);
  if (cached !== undefined) return cached;
  const track = await redis.get<EdgeTrack>(catalogTrackKey(trackId));
  rememberTrack(trackId, track ?? null);
  return track ?? null;
}
