/**
 * The play, ad and QoE event schema (version 1): the one definition players, the ingest-events worker and the origin
 * all validate against. The wire format is snake_case JSON. Every event has a client-made `event_id` (UUID, the dedupe
 * key end to end), a `type`, the playback `session_id` from the playlist URLs and a `client_ts` (ISO 8601). Unknown
 * fields are dropped rather than refused, so an older worker never loses a newer player's plays.
 *
 * Ad event types are VAST 4 tracking events (`impression`, `start`, `firstQuartile`, `midpoint`, `thirdQuartile`,
 * `complete`, `skip`, `notUsed`) under an `ad_` prefix in snake_case; `vastEventOf`/`adEventTypeOf` map between the
 * two, so the ads worker can turn a fired tracking URL into an event and back.
 */
import { z } from "zod";
import { RENDITION_IDS } from "../catalog/edge-track";
import { CDN_IDS } from "../cdn/cdn-id";

/** Bump on a breaking change; an event may say which version it follows in `v` (absent = 1). */
export const EVENT_SCHEMA_VERSION = 1;
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];

export const PLAY_EVENT_TYPES = ["play_start", "play_progress", "play_end", "skip", "seek"] as const;

/** VAST 4 tracking events the platform records, in VAST's own spelling. */
export const VAST_TRACKING_EVENTS = [
  "impression",
  "start",
  "firstQuartile",
  "midpoint",
  "thirdQuartile",
  "complete",
  "skip",
  "notUsed",
] as const;
export type VastTrackingEvent = (typeof VAST_TRACKING_EVENTS)[number];

export const AD_EVENT_TYPES = [
  "ad_impression",
  "ad_start",
  "ad_first_quartile",
  "ad_midpoint",
  "ad_third_quartile",
  "ad_complete",
  "ad_skip",
  "ad_not_used",
] as const;
export type AdEventType = (typeof AD_EVENT_TYPES)[number];

const VAST_TO_TYPE: Record<VastTrackingEvent, AdEventType> = {
  impression: "ad_impression",
  start: "ad_start",
  firstQuartile: "ad_first_quartile",
  midpoint: "ad_midpoint",
  thirdQuartile: "ad_third_quartile",
  complete: "ad_complete",
  skip: "ad_skip",
  notUsed: "ad_not_used",
};

export function adEventTypeOf(vast: VastTrackingEvent): AdEventType {
  return VAST_TO_TYPE[vast];
}

export function vastEventOf(type: AdEventType): VastTrackingEvent {
  const entry = Object.entries(VAST_TO_TYPE).find(([, t]) => t === type);
  return entry![0] as VastTrackingEvent;
}

export const EVENT_TYPES = [...PLAY_EVENT_TYPES, ...AD_EVENT_TYPES, "qoe_segment"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Why a play ended (after Spotify's `reason_end` values). */
export const END_REASONS = [
  "completed",
  "skip_forward",
  "skip_back",
  "stopped",
  "error",
  "logout",
  "remote",
  "unexpected_exit",
] as const;

const ID_PATTERN = /^[A-Za-z0-9._:~-]+$/;
const id = (what: string) =>
  z
    .string(`must be a string (${what})`)
    .min(1, `${what} is required`)
    .max(128, `${what} is at most 128 characters`)
    .regex(ID_PATTERN, `${what} may contain only letters, digits and . _ : ~ -`);
const ms = (what: string) =>
  z
    .number(`${what} must be a number of milliseconds`)
    .int(`${what} must be whole milliseconds`)
    .min(0, `${what} cannot be negative`)
    .max(24 * 3600_000, `${what} is at most 24 h`);

const base = {
  v: z.literal(EVENT_SCHEMA_VERSION).optional(),
  event_id: z.uuid("event_id must be a UUID"),
  session_id: id("session_id"),
  client_ts: z.iso.datetime({ offset: true, message: "client_ts must be ISO 8601, e.g. 2026-11-20T12:00:00.000Z" }),
  device_id: id("device_id").optional(),
};

const playStart = z.object({
  ...base,
  type: z.literal("play_start"),
  track_id: id("track_id"),
  position_ms: ms("position_ms").optional(),
});
const playProgress = z.object({
  ...base,
  type: z.literal("play_progress"),
  track_id: id("track_id"),
  /** Listened time in this playback session so far (not the playhead position). */
  ms_played: ms("ms_played"),
  position_ms: ms("position_ms").optional(),
});
const playEnd = z.object({
  ...base,
  type: z.literal("play_end"),
  track_id: id("track_id"),
  ms_played: ms("ms_played"),
  end_reason: z.enum(END_REASONS, `end_reason must be one of ${END_REASONS.join(", ")}`),
  position_ms: ms("position_ms").optional(),
});
const skip = z.object({
  ...base,
  type: z.literal("skip"),
  track_id: id("track_id"),
  position_ms: ms("position_ms"),
  ms_played: ms("ms_played").optional(),
});
const seek = z.object({
  ...base,
  type: z.literal("seek"),
  track_id: id("track_id"),
  from_ms: ms("from_ms"),
  to_ms: ms("to_ms"),
});

const adFields = {
  /** VAST 4 `<AdServingId>`: one ad served to one listener. */
  ad_serving_id: id("ad_serving_id"),
  campaign_id: id("campaign_id"),
  creative_id: id("creative_id"),
  ad_id: id("ad_id").optional(),
  track_id: id("track_id").optional(),
  /** Playhead inside the ad when the event fired (VAST `[ADPLAYHEAD]`). */
  offset_ms: ms("offset_ms").optional(),
};
const adEvent = <T extends AdEventType>(type: T) => z.object({ ...base, ...adFields, type: z.literal(type) });

const qoeSegment = z.object({
  ...base,
  type: z.literal("qoe_segment"),
  track_id: id("track_id").optional(),
  /** The content-steering pathway (CDN) the segment came from. */
  cdn: z.enum(CDN_IDS, `cdn must be one of ${CDN_IDS.join(", ")}`),
  rendition: z.enum(RENDITION_IDS, `rendition must be one of ${RENDITION_IDS.join(", ")}`),
  segment: z.string().max(256).optional(),
  bytes: z
    .number()
    .int()
    .min(0)
    .max(1 << 30),
  ttfb_ms: ms("ttfb_ms"),
  download_ms: ms("download_ms"),
  http_status: z.number().int().min(0).max(599).optional(),
  /** Set when the segment failed: a short code such as `timeout`, `http_503`, `network`. */
  error: z.string().max(200).nullable().optional(),
});

export const playEventSchema = z.discriminatedUnion("type", [playStart, playProgress, playEnd, skip, seek]);
export const adEventSchema = z.discriminatedUnion("type", [
  adEvent("ad_impression"),
  adEvent("ad_start"),
  adEvent("ad_first_quartile"),
  adEvent("ad_midpoint"),
  adEvent("ad_third_quartile"),
  adEvent("ad_complete"),
  adEvent("ad_skip"),
  adEvent("ad_not_used"),
]);

/** One event as a player sends it. */
export const eventSchema = z.discriminatedUnion("type", [
  playStart,
  playProgress,
  playEnd,
  skip,
  seek,
  ...adEventSchema.options,
  qoeSegment,
]);

export type WireEvent = z.infer<typeof eventSchema>;
export type PlayEvent = z.infer<typeof playEventSchema>;
export type AdEvent = z.infer<typeof adEventSchema>;
export type QoeSegmentEvent = z.infer<typeof qoeSegment>;

export function isPlayEvent(event: WireEvent): event is PlayEvent {
  return (PLAY_EVENT_TYPES as readonly string[]).includes(event.type);
}
export function isAdEvent(event: WireEvent): event is AdEvent {
  return (AD_EVENT_TYPES as readonly string[]).includes(event.type);
}
export function isQoeEvent(event: WireEvent): event is QoeSegmentEvent {
  return event.type === "qoe_segment";
}
