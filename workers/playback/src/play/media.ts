/**
 * `GET /v1/play/{session}/{rendition}/{pathway}.m3u8?pt=<playback token>`: one rendition's media playlist on one
 * pathway, its segment URLs signed for that CDN.
 *
 * The playback token must verify and match the session it is presented for (listener, track, device, session id),
 * so a token of one track or device opens nothing else (403 `token-wrong-session`, with `mismatch` naming what
 * differs); an ended or expired session answers 410 `session-ended`. An encrypted rendition's init and segments each
 * get `#EXT-X-KEY` with the licence URI (this worker, same playback token) and the file's IV (docs/drm.md).
 */
import { isPlayable } from "@cadence/shared/catalog/availability";
import { RENDITION_IDS, type RenditionId } from "@cadence/shared/catalog/edge-track";
import { isCdnId } from "@cadence/shared/cdn/cdn-id";
import { redisFor } from "@cadence/shared/edge";
import { recordServed } from "@cadence/shared/playback/served-media";
import { Problem, problems } from "@cadence/shared/problem";
import type { Context } from "hono";
import { withAdBreak } from "../ads/insert";
import type { AppEnv } from "../context";
import { playbackConfig } from "../core/config";
import { fromEdgeState } from "../core/edge-state";
import { hlsKeyOf, licenseUri } from "../core/license-uri";
import { PLAYBACK_TOKEN_PROBLEM, type TokenBinding, tokenMismatch, verifyPlaybackToken } from "../core/playback-token";
import { HLS_CONTENT_TYPE, type MediaPlaylist, renderMedia } from "../core/playlist";
import { readSession } from "../core/session-store";
import { segmentUrlSigner } from "../signing/segment-urls";
import { unplayableProblem } from "./availability-problem";
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
  if (!check.ok) throw new Problem(PLAYBACK_TOKEN_PROBLEM[check.reason], TOKEN_REFUSED[check.reason]);
  const claims = check.claims;
  const redis = redisFor(c.env);
  const [session, track] = await fromEdgeState(
    Promise.all([readSession(redis, sessionId), readTrack(redis, claims.trk)]),
  );
  if (!session) throw new Problem("session-ended", "This playback session has expired; request a new master.");
  const mismatch = tokenMismatch(claims, session);
  if (mismatch) throw wrongSession(mismatch);
  if (session.endedAt !== undefined) {
    throw new Problem("session-ended", "This session was ended by a newer one on your account.", {
      extensions: { ended_reason: session.endedReason ?? null },
    });
  }
  if (!claims.rnd.includes(renditionId as RenditionId)) {
    throw new Problem("rendition-not-entitled", `This session may not play ${renditionId}.`);
  }
  if (!session.pathways.includes(pathway)) throw problems.notFound(`This session has no pathway ${pathway}.`);
  if (!track) throw new Problem("taken-down", "This track is no longer in the catalog.");
  const verdict = isPlayable(track, session.country, session.tier, now);
  if (!verdict.ok) throw unplayableProblem(verdict, { country: session.country, tier: session.tier });
  const rendition = track.renditions.find((r) => r.id === renditionId);
  if (!rendition) throw problems.notFound(`This track has no ${renditionId} rendition.`);

  const sign = await segmentUrlSigner(
    { env: c.env, config, session, clientIp: c.req.header("cf-connecting-ip"), now: nowSeconds },
    rendition,
    pathway,
  );
  const encryption = rendition.encryption;
  const keyUri = encryption && licenseUri(session.id, encryption.keyId, c.req.query("pt") ?? "");
  const keyOf = (index: number) => (encryption && keyUri ? hlsKeyOf(keyUri, encryption.ivBase, index) : undefined);
  const playlist: MediaPlaylist = {
    targetDuration: rendition.targetDuration,
    map: sign(rendition.init),
    mapKey: keyOf(0),
    segments: rendition.segments.map((s, i) => ({ duration: s.duration, uri: sign(s.uri), key: keyOf(i + 1) })),
  };
  // Free sessions: the ad break planned for the session is spliced in front of the track (workers/playback/src/ads).
  const spliced = await withAdBreak(c, redis, { session, rendition: renditionId, pathway, playlist, now });
  // Evidence for earned plays: the session fetched a media playlist (off the response path).
  c.executionCtx.waitUntil(
    recordServed(redis, [{ sessionId, playlists: 1, at: now }]).catch((err: unknown) =>
      c.var.log.warn("could not count a served media playlist", { err }),
    ),
  );
  return new Response(renderMedia(spliced), {
    headers: { "content-type": HLS_CONTENT_TYPE, "cache-control": "private, no-store" },
  });
}

const TOKEN_REFUSED = {
  missing: "Media playlists need the `pt` token of the master playlist.",
  invalid: "The playback token does not verify.",
  expired: "This playback session has expired; request a new master.",
} as const;

/** 403 `token-wrong-session`; `mismatch` says which binding differs (listener, track, device or session). */
function wrongSession(mismatch: TokenBinding): Problem {
  return new Problem(
    "token-wrong-session",
    `This playback token was issued for another ${mismatch}; it does not open this session.`,
    { extensions: { mismatch } },
  );
}
