/**
 * Licence faults and abuse limits: Redis down answers 503 with Retry-After (keys already in players keep playing);
 * a session that keeps asking for its keys, and an account keying too many tracks an hour or from too many devices a
 * day, are refused with 429 and Retry-After, and the abuse is recorded for the fraud report.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { redisFor } from "@cadence/shared/edge";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { LICENSE_ABUSE_KEY } from "../src/license/deliveries";
import { listenerToken, play, problemOf, publishTrack } from "./helpers";
import { keyedPlaylist } from "./licenses";

async function withEnv(uri: string, overrides: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://playback.test${uri}`), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("licences when edge state is down", () => {
  it("answers 503 edge-state-unavailable with Retry-After when Redis cannot be reached", async () => {
    const track = await publishTrack();
    const played = await play(track.id, { token: await listenerToken() });
    const { keyUri } = await keyedPlaylist(played, "aac-128/cloudflare");
    const res = await withEnv(keyUri, { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await problemOf(res)).code).toBe("edge-state-unavailable");
  });
});

describe("licence abuse limits", () => {
  it("refuses a session past its deliveries with 429 and records the abuse", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const played = await play(track.id, { token: await listenerToken({ sub }) });
    const { keyUri } = await keyedPlaylist(played, "aac-128/cloudflare");
    const limits = { LICENSE_DELIVERIES_PER_SESSION: "3" };
    for (let i = 0; i < 3; i++) expect((await withEnv(keyUri, limits)).status).toBe(200);
    const res = await withEnv(keyUri, limits);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await problemOf(res)).toMatchObject({ code: "rate-limited", limit: "session" });
    const signals = (await redisFor(env).lrange(LICENSE_ABUSE_KEY, 0, 20)).map((s) =>
      typeof s === "string" ? JSON.parse(s) : s,
    );
    expect(signals).toContainEqual(expect.objectContaining({ sub, session: played.sessionId, limit: "session" }));
  });

  it("refuses an account keying more tracks an hour than allowed; a track already keyed this hour still gets keys", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const limits = { LICENSE_TRACKS_PER_HOUR: "2" };
    const tracks = [await publishTrack(), await publishTrack(), await publishTrack()];
    const keyNow = async (trackId: string, device: string) => {
      const played = await play(trackId, { token: await listenerToken({ sub }), device });
      return withEnv((await keyedPlaylist(played, "aac-128/cloudflare")).keyUri, limits);
    };
    expect((await keyNow(tracks[0]!.id, "phone")).status).toBe(200);
    expect((await keyNow(tracks[1]!.id, "phone")).status).toBe(200);
    const res = await keyNow(tracks[2]!.id, "phone");
    expect(res.status).toBe(429);
    expect(await problemOf(res)).toMatchObject({ code: "rate-limited", limit: "tracks" });
    expect((await keyNow(tracks[0]!.id, "phone")).status).toBe(200);
  });

  it("refuses keys to more devices of one account a day than allowed", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const limits = { LICENSE_DEVICES_PER_DAY: "2" };
    const track = await publishTrack();
    const keyOn = async (device: string) => {
      const played = await play(track.id, { token: await listenerToken({ sub }), device });
      return withEnv((await keyedPlaylist(played, "aac-128/cloudflare")).keyUri, limits);
    };
    expect((await keyOn("phone")).status).toBe(200);
    expect((await keyOn("laptop")).status).toBe(200);
    const res = await keyOn("tablet");
    expect(res.status).toBe(429);
    expect(await problemOf(res)).toMatchObject({ code: "rate-limited", limit: "devices" });
  });
});
