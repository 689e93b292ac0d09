/**
 * The licence rule: the key of a rendition goes only to a live session, presented with its own playback token
 * (listener, track, device and session all bound), for a rendition of that session's track that the session's tier
 * is entitled to (a free session never gets the 256/320 or lossless key) and that may still be played where the
 * session is (takedown, territory, window). Every other request is refused with a problem that names the rule and
 * nothing else: no key material, no key ids, nothing about other tracks. Edge state is read through `fromEdgeState`,
 * so Redis being down is a 503 with Retry-After; keys already delivered keep playing in the player.
 */
import { isPlayable } from "@cadence/shared/catalog/availability";
import { isKeyId } from "@cadence/shared/drm/content-key";
import { Problem } from "@cadence/shared/problem";
import type { Redis } from "@upstash/redis/cloudflare";
import { fromEdgeState } from "../core/edge-state";
import { PLAYBACK_TOKEN_PROBLEM, tokenMismatch, verifyPlaybackToken } from "../core/playback-token";
import { readSession } from "../core/session-store";
import { TIER_LADDER } from "../play/ladder";
import { readTrack } from "../play/track-store";
import type { LicenseGrant } from "./provider";

export interface LicenseAsk {
  sessionId: string;
  keyId: string;
  playbackToken: string | undefined;
}

export async function grantLicense(
  redis: Redis,
  tokenSecret: string,
  ask: LicenseAsk,
  now: number,
): Promise<LicenseGrant> {
  const check = await verifyPlaybackToken(tokenSecret, ask.playbackToken, Math.floor(now / 1000));
  if (!check.ok) {
    if (check.reason === "expired") {
      throw new Problem("license-token-expired", "This playback token has expired; request a new master playlist.");
    }
    throw new Problem(PLAYBACK_TOKEN_PROBLEM[check.reason], TOKEN_REFUSED[check.reason]);
  }
  const claims = check.claims;
  if (!isKeyId(ask.keyId)) throw notInSession();
  const [session, track] = await fromEdgeState(
    Promise.all([readSession(redis, ask.sessionId), readTrack(redis, claims.trk)]),
  );
  if (!session) throw sessionEnded();
  const mismatch = tokenMismatch(claims, session);
  if (mismatch) {
    throw new Problem(
      "token-wrong-session",
      `This playback token was issued for another ${mismatch}; it does not open this session's keys.`,
      { extensions: { mismatch } },
    );
  }
  if (session.endedAt !== undefined || session.expiresAt <= now) throw sessionEnded();
  if (!track) {
    throw new Problem("license-track-unavailable", "This track is no longer in the catalog.", {
      extensions: { reason: "taken-down" },
    });
  }
  const rendition = track.renditions.find((r) => r.encryption?.keyId === ask.keyId);
  if (!rendition?.encryption) throw notInSession();
  const entitled =
    claims.rnd.includes(rendition.id) &&
    session.renditions.includes(rendition.id) &&
    TIER_LADDER[session.tier].includes(rendition.id);
  if (!entitled) {
    throw new Problem("rendition-not-entitled", `Your ${session.tier} plan does not include the ${rendition.id} key.`);
  }
  const verdict = isPlayable(track, session.country, session.tier, now);
  if (!verdict.ok) {
    throw new Problem("license-track-unavailable", verdict.detail, { extensions: { reason: verdict.reason } });
  }
  return { session, rendition: rendition.id, encryption: rendition.encryption, expiresAt: session.expiresAt };
}

const TOKEN_REFUSED = {
  missing: "Key requests need the `pt` playback token of the media playlist's key URI.",
  invalid: "The playback token does not verify.",
} as const;

const notInSession = () =>
  new Problem("license-key-not-in-session", "This key does not protect a rendition of this session's track.");
const sessionEnded = () =>
  new Problem("license-session-ended", "This playback session has ended; request a new master playlist.");
