/**
 * The content-steering endpoint as players meet it: the manifest's format and its agreement with the master
 * playlist, player reports recorded as measurements, a failing CDN leaving the manifest, and never a 429.
 */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { recordQoeSamples, steeringKeys } from "@cadence/shared/steering/store";
import { describe, expect, it } from "vitest";
import { clearSteeringViews } from "../src/steering/rank";
import { fetchPath } from "./helpers";
import { manifestOf, startPlay, steeringUri } from "./steering-play";

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

  it("never answers 429, however often a player reloads", async () => {
    const p = await startPlay();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetchPath(steeringUri(p)).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
