/**
 * A playback session: created when a listener mints a master playlist, stored in Redis under `playbackSessionKey`,
 * read by the media-playlist, segment (Cloudflare pathway), steering and events paths.
 *
 * Contract between playback (writer) and steering, events and ads (readers). The session record is JSON with a TTL
 * of its expiry plus a minute; `endedAt` is set in place (same TTL) when a newer session of the account displaces it.
 */
import type { Tier } from "../auth/claims";
import type { RenditionId } from "../catalog/edge-track";
import type { CdnId } from "../cdn/cdn-id";

export interface PlaybackSession {
  id: string;
  /** Account id (token `sub`). */
  sub: string;
  tier: Tier;
  /** Account country (token) and where the request came from (request.cf.country). */
  accountCountry: string;
  country: string;
  continent: string;
  trackId: string;
  deviceId: string;
  renditions: RenditionId[];
  /** Pathways in the order steering ranked them at mint time. */
  pathways: CdnId[];
  createdAt: number;
  /** Epoch ms: track duration plus margin. */
  expiresAt: number;
  /** Set when a newer session of the account ended this one (concurrent-session limit) or the listener stopped. */
  endedAt?: number;
  endedReason?: string;
  /** The rendition the multivariant playlist put first (from client hints). */
  startRendition?: RenditionId;
}

/** Why a session ended: a newer session of the same account took its place. */
export const SESSION_DISPLACED = "displaced-by-newer-session";

export const playbackSessionKey = (sessionId: string) => `playback:session:${sessionId}`;
/** Sorted set of an account's session ids, scored by creation time (oldest first): the concurrent-session limit. */
export const accountSessionsKey = (sub: string) => `playback:account-sessions:${sub}`;
/** Sorted set of an account's recent mints (session ids scored by time): the sliding-window mint rate limit. */
export const mintRateKey = (sub: string) => `playback:mint-rate:${sub}`;
