/**
 * `GET /v1/steering/{session}?pt=<playback token>`: the HLS content-steering manifest of a playback session.
 *
 * The master playlist's `EXT-X-CONTENT-STEERING` points here; players reload it every TTL, adding `_HLS_pathway`
 * and `_HLS_throughput`, which are recorded as measurements of that pathway in the session's region (after the
 * response, through `waitUntil`). Answers: 200 with the manifest; 410 `session-ended` when the session ended, expired
 * or is unknown (players then stop asking); 401/403 for a missing, invalid or foreign playback token. Never 429
 * (hls.js would stop steering for the session) and never a 5xx for our own state: if Redis cannot be read, the last
 * manifest this isolate served the session is served again, else one ranked from the last known state.
 */

import { type CdnId, isCdnId } from "@cadence/shared/cdn/cdn-id";
import { redisFor } from "@cadence/shared/edge";
import { withTimeout } from "@cadence/shared/http";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import { playbackSessionKey } from "@cadence/shared/playback/session";
import { Problem } from "@cadence/shared/problem";
import { type SteeringManifest, steeringManifest } from "@cadence/shared/steering/manifest";
import { recordThroughputReport, type SteeringRedis } from "@cadence/shared/steering/store";
import { requestGeo } from "@cadence/shared/trust/geo";
import { Hono } from "hono";
import type { AppEnv, Env } from "../context";
import { verifyPlaybackToken } from "../core/playback-token";
import { playerCors } from "../core/player-cors";
import { rankSession } from "./rank";

type Redis = SteeringRedis & Pick<ReturnType<typeof redisFor>, "get">;

const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;
const SESSION_READ_TIMEOUT_MS = 1_500;
const MAX_REMEMBERED = 10_000;

// The last manifest served per session in this isolate, for when Redis cannot be read.
const lastGood = new Map<string, SteeringManifest>();

function remember(sessionId: string, manifest: SteeringManifest): void {
  lastGood.delete(sessionId);
  lastGood.set(sessionId, manifest);
  if (lastGood.size > MAX_REMEMBERED) lastGood.delete(lastGood.keys().next().value as string);
}

/** `_HLS_pathway` (hls.js sends it bare, the spec quotes it) and `_HLS_throughput` (bits/s), or why not. */
export function playerReport(query: URLSearchParams): { pathway?: CdnId; throughputBps?: number; problem?: string } {
  const rawPathway = query.get("_HLS_pathway");
  const rawThroughput = query.get("_HLS_throughput");
  const pathway = rawPathway?.replace(/^"(.*)"$/, "$1");
  const out: { pathway?: CdnId; throughputBps?: number; problem?: string } = {};
  if (pathway !== undefined && pathway !== "") {
    if (isCdnId(pathway)) out.pathway = pathway;
    else out.problem = `_HLS_pathway ${JSON.stringify(pathway)} is not a pathway of this service`;
  }
  if (rawThroughput !== null) {
    const value = Number(rawThroughput);
    if (/^\d+(\.\d+)?$/.test(rawThroughput) && value > 0 && value <= 1e12) out.throughputBps = value;
    else out.problem = "_HLS_throughput must be a positive number of bits per second";
  }
  return out;
}

export function steeringRoutes(options: { redis?: (env: Env) => Redis } = {}): Hono<AppEnv> {
  const redisOf = options.redis ?? ((env: Env) => redisFor(env));
  const app = new Hono<AppEnv>();
  // Players fetch manifests from web pages on other origins, like playlists and segments.
  app.use("/v1/steering/*", playerCors());

  app.get("/v1/steering/:sessionId", async (c) => {
    const sessionId = c.req.param("sessionId");
    if (!SESSION_ID.test(sessionId)) throw new Problem("session-not-found", "No such playback session.");
    const query = new URL(c.req.url).searchParams;
    const pt = query.get("pt") ?? undefined;
    const check = await verifyPlaybackToken(c.env.PLAYBACK_TOKEN_SECRET, pt, Math.floor(Date.now() / 1000));
    if (!check.ok && check.reason === "missing") {
      throw new Problem("playback-token-missing", "The steering URL lacks its playback token (pt).");
    }
    if (!check.ok && check.reason === "invalid") {
      throw new Problem("playback-token-invalid", "The playback token does not verify.");
    }
    if (check.claims?.sid !== sessionId) {
      throw new Problem("token-wrong-session", "The playback token belongs to another session.", {
        extensions: { mismatch: "session" },
      });
    }
    // An expired token outlived its session (tokens expire with the session): the session has ended.
    if (!check.ok) throw ended("The playback session has expired.");

    const report = playerReport(query);
    if (report.problem) c.header("x-steering-measurement", `ignored: ${report.problem}`);
    const redis = redisOf(c.env);
    const now = Date.now();
    c.header("cache-control", "no-store");

    let session: PlaybackSession | null;
    try {
      session = await withTimeout(redis.get<PlaybackSession>(playbackSessionKey(sessionId)), SESSION_READ_TIMEOUT_MS);
    } catch (err) {
      c.var.log.warn("steering state unreachable; serving the last good manifest", { err });
      c.header("x-steering-source", "last-good");
      const last = lastGood.get(sessionId);
      if (last) return c.json(last);
      // Nothing served yet in this isolate: rank from the last known steering state, in the token's session only.
      const { country, continent } = requestGeo(c.req.raw);
      const { decision } = await rankSession(redis, { sessionId, country, continent, currentPathway: report.pathway });
      return c.json(steeringManifest(decision.pathways, decision.ttlSeconds, reloadUri(sessionId, pt)));
    }
    if (!session) throw ended("The playback session has expired or never existed.");
    if (session.endedAt !== undefined || session.expiresAt <= now) throw ended("The playback session has ended.");

    const { decision, source } = await rankSession(redis, {
      sessionId,
      country: session.country,
      continent: session.continent,
      currentPathway: report.pathway,
    });
    // Only pathways the session's playlist has variants for; the engine's order decides among them.
    const offered = decision.pathways.filter((p) => session.pathways.includes(p));
    const pathways = offered.length > 0 ? offered : session.pathways;
    const manifest = steeringManifest(pathways, decision.ttlSeconds, reloadUri(sessionId, pt));
    remember(sessionId, manifest);
    c.header("x-steering-source", source);

    // Only a pathway the session has: a player's claim about a CDN it was never given steers nothing.
    if (report.pathway && report.throughputBps && !report.problem && session.pathways.includes(report.pathway)) {
      const measurement = recordThroughputReport(redis, {
        country: session.country,
        continent: session.continent,
        cdn: report.pathway,
        throughputBps: report.throughputBps,
        at: now,
        listener: session.sub,
      }).catch((err: unknown) => c.var.log.warn("throughput report not recorded", { err }));
      c.executionCtx.waitUntil(measurement);
      c.header("x-steering-measurement", "recorded");
    }
    return c.json(manifest);
  });
  return app;
}

function ended(detail: string): Problem {
  return new Problem("session-ended", `${detail} Stop steering; start a new play.`);
}

/** Where the player reloads from: this session's steering URL with its playback token. */
function reloadUri(sessionId: string, pt: string | undefined): string {
  return `/v1/steering/${encodeURIComponent(sessionId)}?pt=${encodeURIComponent(pt ?? "")}`;
}
