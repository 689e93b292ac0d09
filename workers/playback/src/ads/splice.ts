/**
 * Splices a planned break into a media playlist: the ads' segments first, each ad behind `EXT-X-DISCONTINUITY` with
 * its own init segment (`EXT-X-MAP`), then the track. Ad segments point at this worker (`/v1/play/{session}/ads/...`),
 * which serves them and fires their beacons server-side as the player fetches them; the track's first segment points
 * here too (`.../ads/after/...`), so reaching the music fires the last ad's `complete`, then redirects to the CDN.
 */
import type { MediaPlaylist } from "../core/playlist";
import type { AdBreakPlan } from "./break-plan";

export const fileOf = (uri: string) => uri.slice(uri.lastIndexOf("/") + 1);

export function splicePlaylist(
  playlist: MediaPlaylist,
  plan: AdBreakPlan,
  urls: { ad: (adIndex: number, file: string) => string; after: string },
): MediaPlaylist {
  if (plan.ads.length === 0 || playlist.segments.length === 0) return playlist;
  const adSegments: MediaPlaylist["segments"] = plan.ads.flatMap((ad, i) =>
    ad.hls.segments.map((s, k) => ({
      duration: s.duration,
      uri: urls.ad(i, fileOf(s.uri)),
      // The first ad's init is the playlist's EXT-X-MAP; each later ad starts a new discontinuity with its own.
      ...(k === 0 && i > 0 ? { discontinuity: true, map: urls.ad(i, fileOf(ad.hls.init)) } : {}),
    })),
  );
  const [first, ...rest] = playlist.segments;
  return {
    ...playlist,
    targetDuration: Math.max(playlist.targetDuration, ...plan.ads.map((a) => a.hls.targetDuration)),
    // Ads are clear: the track's (encrypted) init moves, with its key, to the first track segment.
    map: urls.ad(0, fileOf(plan.ads[0]!.hls.init)),
    mapKey: undefined,
    segments: [
      ...adSegments,
      { ...first!, uri: urls.after, discontinuity: true, map: playlist.map, mapKey: playlist.mapKey },
      ...rest,
    ],
  };
}

type Quartile = "firstQuartile" | "midpoint" | "thirdQuartile";
const QUARTILES: Array<[Quartile, number]> = [
  ["firstQuartile", 0.25],
  ["midpoint", 0.5],
  ["thirdQuartile", 0.75],
];

/**
 * The segment at which each quartile fires: the first segment starting at (or, within encoder frame alignment,
 * just before) the quartile point, so a quartile is never reported before the player got there. A quartile with no
 * segment after its point (-1) fires with `complete`.
 */
function quartileSegments(segments: Array<{ duration: number }>): Array<[Quartile, number]> {
  const starts: number[] = [];
  let t = 0;
  for (const s of segments) {
    starts.push(t);
    t += s.duration;
  }
  return QUARTILES.map(([event, share]) => [event, starts.findIndex((start) => start >= t * share - 0.25)]);
}

/** Which beacons a fetch of segment `k` of an ad fires: impression and start at 0, each quartile where it begins. */
export function beaconsForSegment(
  segments: Array<{ duration: number }>,
  k: number,
): Array<"impression" | "start" | Quartile> {
  if (k === 0) return ["impression", "start"];
  return quartileSegments(segments).flatMap(([event, at]) => (at === k ? [event] : []));
}

/** The beacons that fire when the ad is over (the next ad or the track begins): `complete` and any late quartile. */
export function beaconsAtEnd(segments: Array<{ duration: number }>): Array<"complete" | Quartile> {
  return [...quartileSegments(segments).flatMap(([event, at]) => (at <= 0 ? [event] : [])), "complete"];
}
