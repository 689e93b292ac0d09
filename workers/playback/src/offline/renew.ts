/**
 * `POST /v1/offline/devices/{device}/renew` (listener access token), body `{tracks: [trackId...]}`: what a device asks
 * whenever it is online. Each track still on the device, still playable for the listener (takedown, territory,
 * window) and still in the tier's ladder gets a new expiry OFFLINE_LICENSE_DAYS away; every other one is `revoked`
 * with its reason and forgotten, and the player deletes it. A lapsed subscription (the access token's tier is free)
 * renews nothing: 403 `offline-not-entitled`, and the player removes every download.
 */
import { isPlayable } from "@cadence/shared/catalog/availability";
import { catalogTrackKey, type EdgeTrack, type RenditionId } from "@cadence/shared/catalog/edge-track";
import { redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import { requestGeo } from "@cadence/shared/trust/geo";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { playbackConfig } from "../core/config";
import { fromEdgeState } from "../core/edge-state";
import { TIER_LADDER } from "../play/ladder";
import { type OfflineTrackRecord, offlineTracks, removeOfflineTracks, renewOfflineTracks } from "./devices";
import { OFFLINE_TIERS, offlineDevice } from "./ids";
import { extendOfflineSession } from "./offline-session";

export async function renewDownloads(c: Context<AppEnv>): Promise<Response> {
  const claims = c.var.claims!;
  const config = playbackConfig(c.env);
  const now = Date.now();
  const device = offlineDevice(c.req.param("device"));
  if (!OFFLINE_TIERS.includes(claims.tier)) {
    throw new Problem("offline-not-entitled", "Your plan no longer includes offline listening; remove the downloads.");
  }
  const body = (await c.req.json().catch(() => undefined)) as { tracks?: unknown } | undefined;
  const tracks = body?.tracks;
  if (
    !Array.isArray(tracks) ||
    tracks.length > config.offline.maxTracksPerDevice ||
    !tracks.every((t) => typeof t === "string")
  ) {
    throw problems.badRequest(`Send JSON {tracks: [trackId, ...]} (at most ${config.offline.maxTracksPerDevice}).`);
  }
  const redis = redisFor(c.env);
  const held = await fromEdgeState(offlineTracks(redis, claims.sub, device));
  const geo = requestGeo(c.req.raw, { devOverrides: config.devOverrides });
  const expiresAt = now + config.offline.licenseDays * 86_400_000;
  const renewed: Array<{ trackId: string; expiresAt: string }> = [];
  const revoked: Array<{ trackId: string; reason: string }> = [];
  const records: Record<string, OfflineTrackRecord> = {};
  const edge = await fromEdgeState(readTracks(redis, tracks as string[]));
  for (const trackId of tracks as string[]) {
    const record = held[trackId];
    const track = edge.get(trackId);
    const verdict = track ? isPlayable(track, geo.country, claims.tier, now) : undefined;
    let reason: string | undefined;
    if (!record) reason = "not-downloaded";
    else if (!track) reason = "taken-down";
    else if (verdict && !verdict.ok) reason = verdict.reason;
    else if (!TIER_LADDER[claims.tier].includes(record.rendition as RenditionId)) reason = "rendition-not-entitled";
    if (reason || !record) {
      revoked.push({ trackId, reason: reason ?? "not-downloaded" });
      continue;
    }
    records[trackId] = { ...record, expiresAt };
    renewed.push({ trackId, expiresAt: new Date(expiresAt).toISOString() });
  }
  await fromEdgeState(
    Promise.all([
      renewOfflineTracks(redis, claims.sub, device, records),
      removeOfflineTracks(
        redis,
        claims.sub,
        device,
        revoked.filter((r) => r.reason !== "not-downloaded").map((r) => r.trackId),
      ),
      ...Object.values(records)
        .filter((r) => r.sessionId)
        .map((r) => extendOfflineSession(redis, r.sessionId, expiresAt, now)),
    ]),
  );
  return c.json({ device, renewed, revoked }, 200, { "cache-control": "private, no-store" });
}

/** EdgeTracks by id, read in chunks (a device may renew thousands at once). */
async function readTracks(redis: ReturnType<typeof redisFor>, ids: string[]): Promise<Map<string, EdgeTrack>> {
  const found = new Map<string, EdgeTrack>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const values = await redis.mget<(EdgeTrack | null)[]>(...chunk.map(catalogTrackKey));
    values.forEach((track, k) => {
      if (track) found.set(chunk[k]!, track);
    });
  }
  return found;
}
