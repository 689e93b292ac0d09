/**
 * The content-steering endpoint as players meet it: the manifest's format and its agreement with the master
 * playlist, player reports recorded as measurements, a failing CDN leaving the manifest, 410 for sessions that are
 * over, auth of the playback token, never a 429, and the last good manifest when Redis cannot be reached.
 * Sessions play from Antarctica (AQ/AN) so their measurements touch no other test's region.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { recordQoeSamples, steeringKeys } from "@cadence/shared/steering/store";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { Redis } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/context";
import { signPlaybackToken } from "../src/play/playback-token";
import { steeringRoutes } from "../src/steering/manifest-route";
import { clearSteeringViews } from "../src/steering/rank";
import { fetchPath, listenerToken, type Play, play, problemOf, publishTrack } from "./helpers";

const AQ = { "x-cadence-country": "AQ", "x-cadence-continent": "AN" };

interface Manifest {
  VERSION: number;
  TTL: number;
  "RELOAD-URI": string;
  "PATHWAY-PRIORITY": string[];
}

async function startPlay(sub = `listener-${crypto.randomUUID()}`): Promise<Play> {
  const track = await publishTrack();
  return play(track.id, { token: await listenerToken({ sub }), headers: AQ });
}

const steeringUri = (p: Play) => p.manifest.contentSteering?.serverUri ?? "";

async function manifestOf(uri: string): Promise<{ res: Response; body: Manifest }> {
  const res = await fetchPath(uri);
  expect(res.status).toBe(200);
  return { res, body: (await res.json()) as Manifest };
}

describe("the steering manifest", () => {
  it("is VERSION 1 with a TTL, a RELOAD-URI for the session, and ranks first the pathway the playlist started on", async () => {
    const p = await startPlay();
    const { res, body } = await manifestOf(steeringUri(p));
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(body.VERSION).toBe(1);
    expect(Number.isInteger(body.TTL) && body.TTL >= 10).toBe(true);
    expect(body["RELOAD-URI"]).toMatch(new RegExp(`^/v1/steering/${p.sessionId}\\?pt=`));
    const offered = new Set((p.manifest.playlists ?? []).map((v) => v.attributes["PATHWAY-ID"]));
    expect(body["PATHWAY-PRIORITY"][0]).toBe(p.manifest.contentSteering?.pathwayId);
    expect(body["PATHWAY-PRIORITY"].length).toBeGreaterThanOrEqual(2);
    expect(new Set(body["PATHWAY-PRIORITY"]).size).toBe(body["PATHWAY-PRIORITY"].length);
    for (const id of body["PATHWAY-PRIORITY"]) expect(offered.has(id)).toBe(true);
    // The reload URI works as is.
    expect((await manifestOf(body["RELOAD-URI"])).body["PATHWAY-PRIORITY"][0]).toBe(body["PATHWAY-PRIORITY"][0]);
  });

  it("records the player's _HLS_throughput on its _HLS_pathway as a measurement of the session's region", async () => {
    const p = await startPlay();
    const redis = redisFor(env);
    const key = steeringKeys.quality("country", "AQ");
    const bytesOf = async () =>
      Object.entries((await redis.hgetall<Record<string, number>>(key)) ?? {})
        .filter(([field]) => field.endsWith(":akamai:xb"))
        .reduce((sum, [, v]) => sum + Number(v), 0);
    const before = await bytesOf();
    const { res } = await manifestOf(`${steeringUri(p)}&_HLS_pathway=%22akamai%22&_HLS_throughput=5000000`);
    expect(res.headers.get("x-steering-measurement")).toBe("recorded");
    await expect.poll(bytesOf, { timeout: 3_000 }).toBeGreaterThan(before);

    const odd = await manifestOf(`${steeringUri(p)}&_HLS_pathway=akamai&_HLS_throughput=fast`);
    expect(odd.res.headers.get("x-steering-measurement")).toMatch(/^ignored: _HLS_throughput/);
  });

  it("drops a CDN that fails in the session's region from the next reload", async () => {
    const p = await startPlay();
    const now = Date.now();
    const samples = (cdn: "cloudfront" | "akamai" | "cloudflare", error: boolean) =>
      Array.from({ length: 40 }, () => ({
        country: "AQ",
        continent: "AN",
        cdn,
        ttfbMs: error ? null : 30,
        throughputBps: error ? null : 30e6,
        bytes: error ? 0 : 192_000,
        error,
        at: now,
      }));
    const recorded = await recordQoeSamples(redisFor(env), [
      ...samples("cloudfront", true),
      ...samples("akamai", false),
      ...samples("cloudflare", false),
    ]);
    expect(recorded.rejected).toEqual([]);
    clearSteeringViews();
    const { body } = await manifestOf(steeringUri(p));
    expect(body["PATHWAY-PRIORITY"]).not.toContain("cloudfront");
    expect(body["PATHWAY-PRIORITY"].length).toBeGreaterThanOrEqual(2);
  });

  it("answers 410 for a session a newer one ended, and for one that never existed", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const first = await startPlay(sub);
    await startPlay(sub); // the tier allows one session: this ends the first
    const gone = await fetchPath(steeringUri(first));
    expect(gone.status).toBe(410);
    expect((await problemOf(gone)).code).toBe("session-gone");

    const sid = "NeverMintedSession0001";
    const pt = await signPlaybackToken(env.PLAYBACK_TOKEN_SECRET, {
      sid,
      sub,
      trk: "trk-none",
      dev: "device-1",
      rnd: ["aac-128"],
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    expect((await fetchPath(`/v1/steering/${sid}?pt=${pt}`)).status).toBe(410);
  });

  it("refuses a missing playback token (401) and another session's token (403)", async () => {
    const p = await startPlay();
    const other = await startPlay();
    const missing = await fetchPath(`/v1/steering/${p.sessionId}`);
    expect(missing.status).toBe(401);
    expect((await problemOf(missing)).code).toBe("playback-token-missing");
    const foreignPt = new URL(steeringUri(other), "http://x").searchParams.get("pt") ?? "";
    const foreign = await fetchPath(`/v1/steering/${p.sessionId}?pt=${encodeURIComponent(foreignPt)}`);
    expect(foreign.status).toBe(403);
  });

  it("never answers 429, however often a player reloads", async () => {
    const p = await startPlay();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetchPath(steeringUri(p)).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

describe("when Redis cannot be reached", () => {
  it("serves the session's last good manifest, and a manifest from the last known state for others", async () => {
    let down = false;
    const unreachable = new Redis({ url: "http://127.0.0.1:9", token: "x", enableTelemetry: false, retry: false });
    const app = createWorkerApp<Env>("playback-test");
    app.route("/", steeringRoutes({ redis: (e) => (down ? unreachable : redisFor(e)) }));
    const call = async (path: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`http://playback.test${path}`), env, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };

    const p = await startPlay();
    const good = await call(steeringUri(p));
    expect(good.status).toBe(200);
    const goodBody = await good.json();

    down = true;
    const again = await call(steeringUri(p));
    expect(again.status).toBe(200);
    expect(again.headers.get("x-steering-source")).toBe("last-good");
    expect(await again.json()).toEqual(goodBody);

    down = false;
    const unseen = await startPlay();
    down = true;
    const fallback = await call(steeringUri(unseen));
    expect(fallback.status).toBe(200);
    const body = (await fallback.json()) as Manifest;
    expect(body.VERSION).toBe(1);
    expect(body["PATHWAY-PRIORITY"].length).toBeGreaterThanOrEqual(2);
  });
});
