import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { fixture, listenerToken, play, problemOf, publishTrack, requestMaster } from "./helpers";

const PATHWAYS = env.PATHWAY_ORDER.split(",");

describe("master playlist: happy path", () => {
  it("lists every allowed rendition on every pathway with the EdgeTrack's true attributes, and steering", async () => {
    const track = await publishTrack();
    const { res, manifest, sessionId, text } = await play(track.id, {
      token: await listenerToken({ tier: "premium" }),
    });
    expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("accept-ch")).toBe("Save-Data, ECT, Downlink, RTT");
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const variants = manifest.playlists ?? [];
    expect(variants).toHaveLength(3 * PATHWAYS.length);
    for (const variant of variants) {
      const rendition = fixture.renditions.find((r) => variant.uri.includes(`/${r.id}/`))!;
      expect(variant.attributes.BANDWIDTH).toBe(rendition.bandwidth);
      expect(Number(variant.attributes["AVERAGE-BANDWIDTH"])).toBe(rendition.averageBandwidth);
      expect(variant.attributes.CODECS).toBe(rendition.codec);
      expect(variant.uri).toMatch(
        new RegExp(`^/v1/play/${sessionId}/${rendition.id}/${variant.attributes["PATHWAY-ID"]}\\.m3u8\\?pt=`),
      );
    }
    // Pathways in the configured order, each listing the same renditions.
    const pathwayOrder = [...new Set(variants.map((v) => v.attributes["PATHWAY-ID"]))];
    expect(pathwayOrder).toEqual(PATHWAYS);
    expect(manifest.contentSteering?.pathwayId).toBe(PATHWAYS[0]);
    expect(manifest.contentSteering?.serverUri).toMatch(new RegExp(`^/v1/steering/${sessionId}\\?pt=`));
    expect(text.startsWith("#EXTM3U\n")).toBe(true);
  });

  it("accepts the access token as ?token= for players that cannot set headers", async () => {
    const track = await publishTrack();
    const token = await listenerToken();
    const res = await requestMaster(track.id, { query: { token } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("master playlist: refusals", () => {
  it("asks for a token (401) and refuses a token without the listener scope (403)", async () => {
    const track = await publishTrack();
    expect((await problemOf(await requestMaster(track.id))).code).toBe("token-missing");
    const advertiser = await listenerToken({ scope: "advertiser:adv-1" });
    const res = await requestMaster(track.id, { token: advertiser });
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toBe("insufficient-scope");
  });

  it("needs a device id, and says so", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, { token: await listenerToken(), device: null });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toMatch(/device=/);
    const bad = await requestMaster(track.id, { token: await listenerToken(), device: "no spaces allowed" });
    expect(bad.status).toBe(400);
  });

  it("refuses unknown codec families with what is accepted", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, { token: await listenerToken(), query: { codecs: "aac,mp3" } });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toMatch(/aac, flac/);
  });

  it("answers 404 for a track the catalog never published", async () => {
    const res = await requestMaster("trk-never-published", { token: await listenerToken() });
    expect(res.status).toBe(404);
  });
});

describe("master playlist: edge state down", () => {
  it("answers 503 edge-state-unavailable with Retry-After when Redis cannot be reached", async () => {
    const token = await listenerToken();
    const unreachable = { ...env, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://playback.test/v1/play/trk-any/master.m3u8?device=d1", {
        headers: { authorization: `Bearer ${token}` },
      }),
      unreachable,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await problemOf(res)).code).toBe("edge-state-unavailable");
  });
});
