/** Playback sessions in Redis: what a session records, for how long, and that accounts do not touch each other. */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { accountSessionsKey, type PlaybackSession, playbackSessionKey } from "@cadence/shared/playback/session";
import { describe, expect, it } from "vitest";
import { fetchPath, listenerToken, play, publishTrack } from "./helpers";

describe("playback sessions", () => {
  it("stores the session in Redis with its binding and a TTL of track duration plus margin", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const before = Date.now();
    const { sessionId } = await play(track.id, {
      token: await listenerToken({ sub, tier: "hifi", country: "GB" }),
      device: "tv-1",
      headers: { "x-cadence-country": "FR", "x-cadence-continent": "EU" },
    });
    const redis = redisFor(env);
    const session = (await redis.get<PlaybackSession>(playbackSessionKey(sessionId)))!;
    expect(session).toMatchObject({
      id: sessionId,
      sub,
      tier: "hifi",
      accountCountry: "GB",
      country: "FR",
      continent: "EU",
      trackId: track.id,
      deviceId: "tv-1",
      pathways: env.PATHWAY_ORDER.split(","),
    });
    expect([...session.renditions].sort()).toEqual(["aac-128", "aac-256", "aac-320", "flac"]);
    const margin = Number(env.SESSION_MARGIN_SECONDS) * 1000;
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + track.durationMs + margin);
    expect(session.expiresAt).toBeLessThanOrEqual(Date.now() + track.durationMs + margin);
    const ttl = await redis.ttl(playbackSessionKey(sessionId));
    expect(ttl).toBeGreaterThan((track.durationMs + margin) / 1000);
    expect(await redis.zrange(accountSessionsKey(sub), 0, -1)).toEqual([sessionId]);
  });

  it("does not end other accounts' sessions", async () => {
    const track = await publishTrack();
    const mine = await play(track.id, { token: await listenerToken() });
    await play(track.id, { token: await listenerToken() });
    expect((await fetchPath(mine.media.get("aac-128/akamai")!)).status).toBe(200);
  });
});
