/**
 * What the edge knows about a track: the compact record the origin publishes to Redis on ingest and on every change
 * (key `catalogTrackKey(id)`), so the playback worker decides a play without an origin round-trip.
 *
 * Contract between the catalog (origin, writer) and playback/ads (workers, readers). Keep it small: it is read on the
 * hot path of every play.
 */
import type { Tier } from "../auth/claims";
import type { EdgeEncryption } from "../drm/content-key";

/** The bitrate ladder. Ids are stable and appear in URLs. */
export const RENDITION_IDS = ["aac-128", "aac-256", "aac-320", "flac"] as const;
export type RenditionId = (typeof RENDITION_IDS)[number];

export interface EdgeSegment {
  /** File name inside the rendition's folder, e.g. `seg-00001.m4s`. */
  uri: string;
  /** Exact duration in seconds (EXTINF). */
  duration: number;
  bytes: number;
}

export interface EdgeRendition {
  id: RenditionId;
  /** RFC 6381 codec string: `mp4a.40.2` or `fLaC`. */
  codec: string;
  /** Peak bits per second over any segment (HLS BANDWIDTH). */
  bandwidth: number;
  /** Average bits per second over the whole track (HLS AVERAGE-BANDWIDTH). */
  averageBandwidth: number;
  sampleRate: number;
  channels: number;
  /**
   * Media-store path of the rendition's folder, content-addressed and immutable, with no leading or trailing slash:
   * `<sha-256 of the source audio>-<ladder version>/<rendition id>`, e.g. `3f2a…9c-l1/aac-128`. Segment and init URLs
   * are `<pathway base>/<path>/<uri>`; the origin serves them (edge callers only) at `/media/<path>/<uri>`.
   */
  path: string;
  /** The fMP4 init segment (EXT-X-MAP) file name, e.g. `init.mp4`. */
  init: string;
  /** EXT-X-TARGETDURATION. */
  targetDuration: number;
  segments: EdgeSegment[];
  /**
   * HLS AES-128 whole-segment encryption of every file of this rendition (docs/drm.md), with its content key wrapped
   * for the licence path. Absent only on media packaged before encryption, until `npm run drm:repackage` has run.
   */
  encryption?: EdgeEncryption;
}

/** One licensing window from the DDEX deals. */
export interface AvailabilityRule {
  /** ISO 3166-1 alpha-2 codes, or `["Worldwide"]`. */
  territories: string[];
  /** Excluded territory codes (used with Worldwide). */
  excluded: string[];
  /** Epoch ms; absent = valid on receipt. */
  start?: number;
  /** Epoch ms, exclusive; absent = open-ended. */
  end?: number;
  /** Which tiers the commercial model licenses: SubscriptionModel -> premium, hifi; AdvertisementSupportedModel -> free. */
  tiers: Tier[];
  /** DDEX UseTypes licensed, e.g. `OnDemandStream`, `Stream`. */
  useTypes: string[];
}

export interface Availability {
  rules: AvailabilityRule[];
  /** Epoch ms from which the track is taken down (takedown/purge message or end of all deals). */
  takedownAt?: number;
}

export interface EdgeTrack {
  id: string;
  isrc: string;
  title: string;
  artist: string;
  releaseId: string;
  genres: string[];
  /** Exact duration in ms (from the sample count). */
  durationMs: number;
  /** Exact duration in samples of the source at `sampleRate` of the renditions (gapless playback). */
  durationSamples?: number;
  /** Release (album) title and label name, for display. */
  releaseTitle?: string;
  label?: string;
  /** Integrated loudness (EBU R128) and true peak, for normalisation in players. */
  loudnessLufs: number;
  truePeakDbtp: number;
  renditions: EdgeRendition[];
  availability: Availability;
  /** Increases on every publish; readers may cache by it. */
  version: number;
}

export const catalogTrackKey = (trackId: string) => `catalog:track:${trackId}`;

/** Redis set of every published track id (for edge-side listings and reconciliation). */
export const CATALOG_TRACK_INDEX_KEY = "catalog:tracks";
/** Redis counter bumped on every catalog change; edge caches of catalog answers key on it. */
export const CATALOG_GENERATION_KEY = "catalog:generation";
