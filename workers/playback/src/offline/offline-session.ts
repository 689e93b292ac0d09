/**
 * The playback session a download's offline plays are reported under. The device plays with no network, so its play
 * events reach the events pipeline later, when it is online again (the pipeline accepts them up to 30 days late);
 * there they are matched to a session record like any other play (account, track, tier, country), so offline plays
 * qualify and count for royalties like streamed ones. The record lives as long as the licence plus the 30 days a
 * late event may take, and each renewal extends it. It carries no pathways and no playback token ever names it, so
 * it opens no playlist, segment or key.
 */
import type { AccessClaims } from "@cadence/shared/auth/claims";
import type { RenditionId } from "@cadence/shared/catalog/edge-track";
import { type PlaybackSession, playbackSessionKey } from "@cadence/shared/playback/session";
import type { Redis } from "@upstash/redis/cloudflare";
import { newSessionId } from "../core/session-store";

const LATE_EVENTS_MS = 30 * 86_400_000;

/** A new offline session id (`off-` and 128 random bits), distinct from streaming sessions at a glance. */
export const newOfflineSessionId = () => `off-${newSessionId()}`;

export async function openOfflineSession(
  redis: Redis,
  claims: AccessClaims,
  where: { country: string; continent: string },
  download: { id: string; trackId: string; device: string; rendition: RenditionId; expiresAt: number; now: number },
): Promise<string> {
  const session: PlaybackSession = {
    id: download.id,
    sub: claims.sub,
    tier: claims.tier,
    accountCountry: claims.country,
    country: where.country,
    continent: where.continent,
    trackId: download.trackId,
    deviceId: download.device,
    renditions: [download.rendition],
    pathways: [],
    createdAt: download.now,
    expiresAt: download.expiresAt,
  };
  await redis.set(playbackSessionKey(session.id), session, { px: download.expiresAt + LATE_EVENTS_MS - download.now });
  return session.id;
}

/** Extends an offline session to a renewed licence's expiry (and its late-event margin). */
export async function extendOfflineSession(redis: Redis, sessionId: string, expiresAt: number, now: number) {
  const session = await redis.get<PlaybackSession>(playbackSessionKey(sessionId));
  if (!session) return;
  await redis.set(playbackSessionKey(sessionId), { ...session, expiresAt }, { px: expiresAt + LATE_EVENTS_MS - now });
}
