/** The master playlist as a player gets it: variants, pathways, content steering, and the query token. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fixture, listenerToken, play, publishTrack, requestMaster } from "./helpers";

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
