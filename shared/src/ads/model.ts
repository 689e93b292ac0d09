/**
 * The ad domain as the edge sees it: the compact campaign and creative records the origin publishes to Redis and the
 * ads worker decides from, plus the vocabulary both sides share (priority tiers, pacing modes, device types, beacon
 * events). Contract between origin/src/ads (writer) and workers/ads (reader); keep it small, it is read on
 * the hot path of every decision.
 *
 * Money: budgets and CPM prices are integer minor units (cents). One impression costs CPM / 1000 minor units, which
 * is rarely whole, so delivery counters keep "milli-minor" units (1/1000 of a minor unit): an impression of a
 * campaign priced at CPM 2500 (25.00 per thousand) costs exactly 2500 milli-minor units.
 */
import type { Tier } from "../auth/claims";

/** Evaluated in this order: sponsorships are sold first, house ads fill what is left. */
export const PRIORITY_TIERS = ["sponsorship", "standard", "house"] as const;
export type PriorityTier = (typeof PRIORITY_TIERS)[number];

export const PACING_MODES = ["even", "front_loaded", "asap"] as const;
export type PacingMode = (typeof PACING_MODES)[number];

export const CAMPAIGN_STATUSES = ["active", "paused"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const DEVICE_TYPES = ["mobile", "tablet", "desktop", "speaker", "car", "tv", "other"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const BREAK_POSITIONS = ["preroll", "midroll", "postroll"] as const;
export type BreakPosition = (typeof BREAK_POSITIONS)[number];

/** Beacon events: VAST tracking events we serve URLs for, plus the impression and the error pixel. */
export const BEACON_EVENTS = [
  "impression",
  "start",
  "firstQuartile",
  "midpoint",
  "thirdQuartile",
  "complete",
  "skip",
  "notUsed",
  "error",
] as const;
export type BeaconEvent = (typeof BEACON_EVENTS)[number];

/** A daypart in the listener's local time: days 0 (Sunday) to 6, hours [startHour, endHour). */
export interface Daypart {
  days: number[];
  startHour: number;
  endHour: number;
}

/** Empty lists mean "any". */
export interface Targeting {
  countries: string[];
  tiers: Tier[];
  genres: string[];
  dayparts: Daypart[];
  deviceTypes: DeviceType[];
}

/** At most `count` ads of the campaign per listener in any sliding window of `windowSeconds`. */
export interface FrequencyCap {
  count: number;
  windowSeconds: number;
}

export interface EdgeMediaFile {
  /** Path under the creative's media folder, e.g. `aac-128.m4a`. */
  file: string;
  mimeType: string;
  codec: string;
  bitrateKbps: number;
  bytes: number;
}

export interface EdgeAdSegment {
  uri: string;
  duration: number;
}

/** The creative's HLS rendition, packaged for splicing into AAC-LC 128 kbps playlists. */
export interface EdgeAdHls {
  playlist: string;
  init: string;
  codec: string;
  bandwidth: number;
  targetDuration: number;
  segments: EdgeAdSegment[];
}

export interface EdgeCreative {
  id: string;
  title: string;
  universalAdId: string;
  universalAdIdRegistry: string;
  durationMs: number;
  /** Media-store folder of the creative, e.g. `ads/cr_x/3f2a...`; files are `<path>/<file>`. */
  path: string;
  mediaFiles: EdgeMediaFile[];
  mezzanine: EdgeMediaFile;
  hls: EdgeAdHls;
}

export interface EdgeCampaign {
  id: string;
  advertiserId: string;
  /** The advertiser's domain (VAST `Advertiser`, competitive separation). */
  advertiserDomain: string;
  name: string;
  status: CampaignStatus;
  /** Epoch ms, start inclusive, end exclusive. */
  flightStart: number;
  flightEnd: number;
  totalBudgetMinor: number;
  dailyBudgetMinor: number | null;
  cpmMinor: number;
  priority: PriorityTier;
  /** Share of traffic among equal eCPMs inside a tier (1-100). */
  weight: number;
  pacing: PacingMode;
  targeting: Targeting;
  frequencyCaps: FrequencyCap[];
  /** Competitive category: two ads of one category never play in the same break. */
  category: string | null;
  creatives: EdgeCreative[];
  /** Increases on every publish. */
  version: number;
}

/** What one impression costs, in milli-minor units (see the file comment). */
export const impressionPriceMilli = (campaign: Pick<EdgeCampaign, "cpmMinor">): number => campaign.cpmMinor;

export const MILLI = 1000;

/** The UTC day an instant falls in, `YYYYMMDD`; budgets and reports are per UTC day. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10).replaceAll("-", "");
}

export const DAY_MS = 86_400_000;

export function utcDayStart(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}
