/**
 * `GET /v1/play/{trackId}/master.m3u8`: the decision of every play, made at the edge from Redis alone.
 *
 * Token (header or `?token=`) -> track from Redis -> availability for the request's country, the listener's tier and
 * now -> the renditions tier and device allow -> the start rendition from network hints -> pathways ranked -> a
 * session minted (rate limit and concurrent-session limit in the same round trip) -> a playback token -> the
 * multivariant playlist, one variant per rendition and pathway, the start rendition first.
 *
 * Query: `device` (required, binds the session), `codecs` (optional, e.g. `aac` or `aac,flac`), and in development
 * and test `pathways` (e.g. `akamai`) to pin the session's pathways for demos and tests.
 */
import { isPlayable } from "@cadence/shared/catalog/availability";
import { type CdnId, isCdnId } from "@cadence/shared/cdn/cdn-id";
import { redisFor } from "@cadence/shared/edge";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import { Problem, problems } from "@cadence/shared/problem";
import { requestGeo } from "@cadence/shared/trust/geo";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { playbackConfig } from "../core/config";
import { fromEdgeState } from "../core/edge-state";
import { signPlaybackToken } from "../core/playback-token";
import { HLS_CONTENT_TYPE, renderMultivariant, type Variant } from "../core/playlist";
import { mintSession, newSessionId } from "../core/session-store";
import { unplayableProblem } from "./availability-problem";
import { allowedRenditions, networkHints, parseDeviceCodecs, startRendition } from "./ladder";
import { rankPathways } from "./pathways";
import { readTrack } from "./track-store";

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export async function masterPlaylist(c: Context<AppEnv>): Promise<Response> {
  const claims = c.var.claims!;
  const config = playbackConfig(c.env);
  const now = Date.now();
  const trackId = c.req.param("trackId") ?? "";
  if (!ID_PATTERN.test(trackId)) throw problems.badRequest("The track id in the path is not a valid id.");
  const deviceId = c.req.query("device");
  if (!deviceId || !/^[A-Za-z0-9._:-]{1,64}$/.test(deviceId)) {
    throw problems.badRequest("Send `device=<id>` (1-64 letters, digits, `._:-`): the session is bound to it.");
  }
  const codecs = parseDeviceCodecs(c.req.query("codecs"));
  if (typeof codecs === "string") throw problems.badRequest(codecs);
  const geo = requestGeo(c.req.raw, { devOverrides: config.devOverrides });
  const redis = redisFor(c.env);

  const track = await fromEdgeState(readTrack(redis, trackId));
  if (!track) throw new Problem("unknown-track", `No track ${trackId} is published.`);
  const verdict = isPlayable(track, geo.country, claims.tier, now);
  if (!verdict.ok) throw unplayableProblem(verdict, { country: geo.country, tier: claims.tier });

  const allowed = allowedRenditions(track.renditions, claims.tier, codecs);
  const start = startRendition(allowed, networkHints(c.req.raw.headers, geo.tcpRttMs));
  if (!start) {
    throw new Problem("no-playable-rendition", "No rendition of this track suits both your tier and the codecs.", {
      title: "Not Acceptable",
      extensions: { codecs: codecs ?? null, tier: claims.tier },
    });
  }

  const sessionId = newSessionId();
  let pathways = await rankPathways(c.env, { sessionId, sub: claims.sub, tier: claims.tier, ...geo });
  const pinned = config.devOverrides ? parsePathways(c.req.query("pathways")) : undefined;
  if (pinned) pathways = pinned;
  const ordered = [start, ...allowed.filter((r) => r !== start)];
  const session: PlaybackSession = {
    id: sessionId,
    sub: claims.sub,
    tier: claims.tier,
    accountCountry: claims.country,
    country: geo.country,
    continent: geo.continent,
    trackId,
    deviceId,
    renditions: ordered.map((r) => r.id),
    pathways,
    createdAt: now,
    expiresAt: now + track.durationMs + config.sessionMarginSeconds * 1000,
    startRendition: start.id,
  };
  const outcome = await fromEdgeState(
    mintSession(redis, session, {
      mintsPerMinute: config.mintRatePerMinute,
      concurrent: config.concurrentSessions[claims.tier],
    }),
  );
  if (!outcome.ok) {
    throw problems.tooMany("Too many plays started from this account; wait a moment.", outcome.retryAfterSeconds);
  }

  const token = await signPlaybackToken(c.env.PLAYBACK_TOKEN_SECRET, {
    sid: sessionId,
    sub: claims.sub,
    trk: trackId,
    dev: deviceId,
    rnd: session.renditions,
    exp: Math.ceil(session.expiresAt / 1000),
  });
  const variants: Variant[] = pathways.flatMap((pathway) =>
    ordered.map((rendition) => ({
      rendition,
      pathway,
      uri: `/v1/play/${sessionId}/${rendition.id}/${pathway}.m3u8?pt=${token}`,
    })),
  );
  const body = renderMultivariant({
    steering: { serverUri: `/v1/steering/${sessionId}?pt=${token}`, pathwayId: pathways[0]! },
    variants,
  });
  return new Response(body, {
    headers: {
      "content-type": HLS_CONTENT_TYPE,
      "cache-control": "private, no-store",
      "x-playback-session": sessionId,
    },
  });
}

function parsePathways(value: string | undefined): CdnId[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(",").map((s) => s.trim());
  if (ids.length === 0 || !ids.every(isCdnId) || new Set(ids).size !== ids.length) {
    throw problems.badRequest("pathways must list distinct CDN ids: cloudfront, akamai, cloudflare.");
  }
  return ids as CdnId[];
}
