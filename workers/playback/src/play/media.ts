/**
 * `GET /v1/play/{session}/{rendition}/{pathway}.m3u8?pt=<playback token>`: one rendition's media playlist on one
 * pathway, its segment URLs signed for that CDN.
 *
 * The playback token must verify and match the session it is presented for (listener, track, device, session id),
 * so a token of one track or device opens nothing else; an ended or expired session answers 410.
 */
import { isPlayable } from "@cadence/shared/catalog/availability";
import { RENDITION_IDS, type RenditionId } from "@cadence/shared/catalog/edge-track";
import { isCdnId } from "@cadence/shared/cdn/cdn-id";
import { redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import type { Context } from "hono";
import { withAdBreak } from "../ads/insert";
import type { AppEnv } from "../context";
import { segmentUrlSigner } from "../signing/segment-urls";
import { unplayableProblem } from "./availability-problem";
import { playbackConfig } from "./config";
import { fromEdgeState } from "./edge-state";
import { verifyPlaybackToken } from "./playback-token";
import { HLS_CONTENT_TYPE, type MediaPlaylist, renderMedia } from "./playlist";
import { readSession } from "./session-store";
import { readTrack } from "./track-store";

export async function mediaPlaylist(c: Context<AppEnv>): Promise<Response> {
  const config = playbackConfig(c.env);
  const now = Date.now();
  const nowSeconds = Math.floor(now / 1000);
  const sessionId = c.req.param("sessionId") ?? "";
  const renditionId = c.req.param("rendition") ?? "";
  const pathway = (c.req.param("playlist") ?? "").replace(/\.m3u8$/, "");
  if (!(RENDITION_IDS as readonly string[]).includes(renditionId)) {
    throw problems.notFound(`No rendition ${renditionId}; renditions are ${RENDITION_IDS.join(", ")}.`);
  }
  if (!isCdnId(pathway)) throw problems.notFound(`No pathway ${pathway}.`);

  const check = await verifyPlaybackToken(c.env.PLAYBACK_TOKEN_SECRET, c.req.query("pt"), nowSeconds);
  if (!check.ok) {
    if (check.reason === "missing") {
      throw new Problem(401, "playback-token-missing", "Media playlists need the `pt` token of the master playlist.");
    }
    if (check.reason === "expired") {
      throw new Problem(410, "playback-token-expired", "This playback session has expired; request a new master.");
    }
    throw new Problem(403, "playback-token-invalid", "The playback token does not verify.");
  }
  const claims = check.claims;
  const redis = redisFor(c.env);
  const [session, track] = await fromEdgeState(
    Promise.all([readSession(redis, sessionId), readTrack(redis, claims.trk)]),
  );
  if (!session) throw new Problem(410, "session-expired", "This playback session has expired; request a new master.");
  if (claims.sub !== session.sub) throw mismatch("token-wrong-listener", "another listener");
  if (claims.trk !== session.trackId) throw mismatch("token-wrong-track", "another track");
  if (claims.dev !== session.deviceId) throw mismatch("token-wrong-device", "another device");
  if (claims.sid !== session.id) throw mismatch("token-wrong-session", "another session");
  if (session.endedAt !== undefined) {
    throw new Problem(410, "session-ended", "This session was ended by a newer one on your account.", {
      extensions: { ended_reason: session.endedReason ?? null },
    });
  }
  if (!claims.rnd.includes(renditionId as RenditionId)) {
    throw new Problem(403, "rendition-not-entitled", `This session may not play ${renditionId}.`);
  }
  if (!session.pathways.includes(pathway)) throw problems.notFound(`This session has no pathway ${pathway}.`);
  if (!track) throw new Problem(410, "taken-down", "This track is no longer in the catalog.");
  const verdict = isPlayable(track, session.country, session.tier, now);
  if (!verdict.ok) throw unplayableProblem(verdict, { country: session.country, tier: session.tier });
  const rendition = track.renditions.find((r) => r.id === renditionId);
  if (!rendition) throw problems.notFound(`This track has no ${renditionId} rendition.`);

  const sign = await segmentUrlSigner(
    { env: c.env, config, session, clientIp: c.req.header("cf-connecting-ip"), now: nowSeconds },
    rendition,
    pathway,
  );
  const playlist: MediaPlaylist = {
    targetDuration: rendition.targetDuration,
    map: sign(rendition.init),
    segments: rendition.segments.map((s) => ({ duration: s.duration, uri: sign(s.uri) })),
  };
  // Free sessions: the ad break planned for the session is spliced in front of the track (workers/playback/src/ads).
  const spliced = await withAdBreak(c, redis, { session, rendition: renditionId, pathway, playlist, now });
  return new Response(renderMedia(spliced), {
    headers: { "content-type": HLS_CONTENT_TYPE, "cache-control": "private, no-store" },
  });
}

function mismatch(code: string, what: string): Problem {
  return new Problem(403, code, `This playback token was issued for ${what}; it does not open this session.`);
}
