/**
 * A playback session: created when a listener mints a master playlist, stored in Redis under `playbackSessionKey`,
 * read by the media-playlist, segment (Cloudflare pathway), steering and events paths.
 *
 * Contract between playback (writer) and steering, events and ads (readers).
 */
import type { Tier } from "../auth/claims";
import type { RenditionId } from "../catalog/edge-track";

/** CDN pathways. The id is also the HLS PATHWAY-ID. */
export const CDN_IDS = ["cloudfront", "akamai", "cloudflare"] as const;
export type CdnId = (typeof CDN_IDS)[number];

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
}

export const playbackSessionKey = (sessionId: string) => `playback:session:${sessionId}`;
