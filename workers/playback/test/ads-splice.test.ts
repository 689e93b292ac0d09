/**
 * Splicing an ad break into a media playlist: ads first, each behind a discontinuity with its own init segment, the
 * track after its own discontinuity and init, and a real HLS parser reading it the same way; quartile beacons mapped
 * onto the ad's segments. (The whole path with the real ads worker and hls.js is in e2e/ads.e2e.test.ts.)
 */
import { Parser } from "m3u8-parser";
import { describe, expect, it } from "vitest";
import type { AdBreakPlan } from "../src/ads/break-plan";
import { beaconsAtEnd, beaconsForSegment, splicePlaylist } from "../src/ads/splice";
import { renderMedia } from "../src/core/playlist";

const ad = (id: string): AdBreakPlan["ads"][number] => ({
  adServingId: id,
  campaignId: "cmp_1",
  creativeId: "cr_1",
  durationMs: 15_000,
  beacons: {} as AdBreakPlan["ads"][number]["beacons"],
  mediaBaseUrl: "https://ads.internal/v1/ads/media/ads/x",
  hls: {
    playlist: "hls/index.m3u8",
    init: "hls/init.mp4",
    codec: "mp4a.40.2",
    bandwidth: 131_000,
    targetDuration: 4,
    segments: [3.8, 3.8, 3.78, 3.62].map((duration, i) => ({ uri: `hls/seg-0000${i + 1}.m4s`, duration })),
  },
});

const track = {
  targetDuration: 6,
  map: "https://cdn.example/t/init.mp4?sig=a~b",
  segments: [6, 6, 3].map((duration, i) => ({ duration, uri: `https://cdn.example/t/seg-${i}.m4s?sig=a~b` })),
};

const urls = {
  ad: (i: number, file: string) => `/v1/play/s1/ads/${i}/${file}?pt=tok`,
  after: "/v1/play/s1/ads/after/aac-128/cloudfront?pt=tok",
};

function parse(text: string) {
  const parser = new Parser();
  parser.push(text);
  parser.end();
  return parser.manifest;
}

describe("splicing a break", () => {
  it("puts two ads before the track with discontinuities and init segments a parser reads back", () => {
    const text = renderMedia(splicePlaylist(track, { plannedAt: 0, ads: [ad("a"), ad("b")] }, urls));
    const m = parse(text);
    expect(m.segments).toHaveLength(4 + 4 + 3);
    expect(m.segments[0]).toMatchObject({
      uri: "/v1/play/s1/ads/0/seg-00001.m4s?pt=tok",
      map: { uri: "/v1/play/s1/ads/0/init.mp4?pt=tok" },
    });
    expect(m.segments[4]).toMatchObject({ discontinuity: true, map: { uri: "/v1/play/s1/ads/1/init.mp4?pt=tok" } });
    expect(m.segments[8]).toMatchObject({ discontinuity: true, uri: urls.after, map: { uri: track.map } });
    expect(m.segments[9]?.uri).toBe(track.segments[1]!.uri);
    expect(m.targetDuration).toBe(6);
    expect(text.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(2);
    expect(text).toContain("sig=a~b"); // signed URLs pass through untouched
  });

  it("leaves the playlist alone when the break is empty", () => {
    expect(splicePlaylist(track, { plannedAt: 0, ads: [] }, urls)).toBe(track);
  });

  it("maps impression, start and the quartiles onto the segments where they begin", () => {
    const segments = ad("a").hls.segments;
    expect(segments.map((_, k) => beaconsForSegment(segments, k))).toEqual([
      ["impression", "start"],
      ["firstQuartile"],
      ["midpoint"],
      ["thirdQuartile"],
    ]);
    expect(beaconsAtEnd(segments)).toEqual(["complete"]);
    // Coarser segments: a quartile fires no earlier than the segment where the player reaches it, at the latest with
    // complete.
    const two = [{ duration: 7.5 }, { duration: 7.5 }];
    expect(two.map((_, k) => beaconsForSegment(two, k))).toEqual([
      ["impression", "start"],
      ["firstQuartile", "midpoint"],
    ]);
    expect(beaconsAtEnd(two)).toEqual(["thirdQuartile", "complete"]);
  });
});
