/**
 * Ad beacons as events of the events pipeline (shared/src/events/schema.ts): the VAST event becomes an `ad_*` event
 * whose id is derived from the AdServingId and the event, so the same beacon always makes the same event and a retry
 * or a replay is a duplicate all the way down (the ingest worker's dedupe and the origin's unique key).
 */
import { adEventTypeOf, VAST_TRACKING_EVENTS, type VastTrackingEvent } from "../events/schema";
import type { BeaconEvent } from "./model";

export interface AdEventBody {
  event_id: string;
  type: string;
  session_id: string;
  client_ts: string;
  ad_serving_id: string;
  campaign_id: string;
  creative_id: string;
  track_id?: string;
}

/** A UUID (version 8, RFC 9562 custom) made from SHA-256 of the AdServingId and event. */
export async function adEventId(adServingId: string, event: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${adServingId}|${event}`)),
  );
  const b = digest.slice(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Beacon events the events schema knows (the error pixel is counted in reports only). */
export function isPipelineEvent(event: BeaconEvent): event is VastTrackingEvent {
  return (VAST_TRACKING_EVENTS as readonly string[]).includes(event);
}

export async function adEventOf(
  event: VastTrackingEvent,
  served: { adServingId: string; campaignId: string; creativeId: string; session: string; trackId: string },
  at: number,
): Promise<AdEventBody> {
  return {
    event_id: await adEventId(served.adServingId, event),
    type: adEventTypeOf(event),
    // Ads fetched straight from the VAST endpoint have no playback session: their AdServingId stands in.
    session_id: served.session || `vast:${served.adServingId}`,
    client_ts: new Date(at).toISOString(),
    ad_serving_id: served.adServingId,
    campaign_id: served.campaignId,
    creative_id: served.creativeId,
    ...(served.trackId ? { track_id: served.trackId } : {}),
  };
}
