/**
 * Where the ads are in a media playlist. For a free listener the playback worker splices the ad break into the media
 * playlist (server-side ad insertion): the ads' segments first, on the worker's own URLs
 * (`/v1/play/{session}/ads/{ad}/{file}`), each ad behind EXT-X-DISCONTINUITY, then the track. The player reads the
 * break's span from those URLs to label it, count it down and keep it unskippable.
 *
 * Impressions and quartiles are counted server-side as the player fetches the ad's segments (the ads design: the
 * listener never sees the VAST), so the player sends no ad tracking events of its own; that would count them twice.
 */
import type { LevelDetails } from "hls.js";

export interface AdBreak {
  id: string;
  /** Media time span of the whole break, seconds. */
  start: number;
  end: number;
  /** Where each ad of the pod starts (seconds), in order. */
  adStarts: number[];
}

const AD_SEGMENT = /\/v1\/play\/[^/]+\/ads\/(\d+)\//;

/** True for an ad's own segment (not the track's first segment, which goes through `/ads/after/`). */
export function isAdSegment(url: string): boolean {
  return AD_SEGMENT.test(url);
}

export function adBreaksOf(details: LevelDetails): AdBreak[] {
  const breaks: AdBreak[] = [];
  let current: AdBreak | null = null;
  let currentAd = -1;
  for (const frag of details.fragments) {
    const match = AD_SEGMENT.exec(frag.relurl ?? frag.url);
    if (!match) {
      current = null;
      continue;
    }
    const ad = Number(match[1]);
    if (!current) {
      current = {
        id: `break-${breaks.length}-${frag.start.toFixed(1)}`,
        start: frag.start,
        end: frag.start,
        adStarts: [],
      };
      breaks.push(current);
      currentAd = -1;
    }
    if (ad !== currentAd) {
      current.adStarts.push(frag.start);
      currentAd = ad;
    }
    current.end = frag.start + frag.duration;
  }
  return breaks;
}

/** "Ad 1 of 2" for a media time inside the break. */
export function adPosition(adBreak: AdBreak, time: number): { index: number; count: number } {
  let index = 0;
  adBreak.adStarts.forEach((start, i) => {
    if (time >= start - 0.05) index = i;
  });
  return { index: index + 1, count: adBreak.adStarts.length };
}
