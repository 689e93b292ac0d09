/**
 * Turns enriched events into the warehouse's fact rows (one family table each), with what the edge knew about them
 * and the queue batch they landed in. The same function serves the queue consumer's landing and the backfill, so a
 * historical event is stored exactly as a live one would be.
 */
import { DISQUALIFYING_FLAGS, type EdgeContext, type EnrichedEvent } from "@cadence/shared/events/message";
import {
  type AdEvent,
  isAdEvent,
  isPlayEvent,
  isQoeEvent,
  type PlayEvent,
  type QoeSegmentEvent,
  vastEventOf,
} from "@cadence/shared/events/schema";
import type { FactRow, FactTableName } from "./engine";

type Edged<T> = T & { edge: EdgeContext };

export interface Landing {
  batchId: string;
  storedAt: number;
}

export function factTableOf(event: EnrichedEvent): FactTableName {
  if (isPlayEvent(event)) return "plays";
  if (isAdEvent(event)) return "ad_events";
  if (isQoeEvent(event)) return "qoe_samples";
  throw new TypeError(`no fact table for event type ${(event as { type: string }).type}`);
}

export function factRow(event: EnrichedEvent, landing: Landing): FactRow {
  if (isPlayEvent(event)) return playRow(event, landing);
  if (isAdEvent(event)) return adRow(event, landing);
  if (isQoeEvent(event)) return qoeRow(event, landing);
  throw new TypeError(`no fact table for event type ${(event as { type: string }).type}`);
}

function edgeRow(e: Edged<{ client_ts: string }>, landing: Landing): FactRow {
  return {
    user_id: e.edge.user_id,
    tier: e.edge.tier,
    account_country: e.edge.account_country,
    country: e.edge.country,
    colo: e.edge.colo,
    asn: e.edge.asn,
    client_ts: Date.parse(e.client_ts),
    received_at: e.edge.received_at,
    flags: e.edge.flags.join(","),
    request_id: e.edge.request_id,
    batch_id: landing.batchId,
    stored_at: landing.storedAt,
  };
}

function playRow(e: Edged<PlayEvent>, landing: Landing): FactRow {
  return {
    event_id: e.event_id,
    type: e.type,
    session_id: e.session_id,
    track_id: e.track_id,
    device_id: e.device_id ?? null,
    ms_played: "ms_played" in e ? (e.ms_played ?? null) : null,
    position_ms: "position_ms" in e ? (e.position_ms ?? null) : null,
    end_reason: e.type === "play_end" ? e.end_reason : null,
    from_ms: e.type === "seek" ? e.from_ms : null,
    to_ms: e.type === "seek" ? e.to_ms : null,
    disqualified: e.edge.flags.some((f) => DISQUALIFYING_FLAGS.includes(f)) ? 1 : 0,
    ...edgeRow(e, landing),
  };
}

function adRow(e: Edged<AdEvent>, landing: Landing): FactRow {
  return {
    event_id: e.event_id,
    type: e.type,
    vast_event: vastEventOf(e.type),
    session_id: e.session_id,
    ad_serving_id: e.ad_serving_id,
    campaign_id: e.campaign_id,
    creative_id: e.creative_id,
    ad_id: e.ad_id ?? null,
    track_id: e.track_id ?? null,
    offset_ms: e.offset_ms ?? null,
    ...edgeRow(e, landing),
  };
}

function qoeRow(e: Edged<QoeSegmentEvent>, landing: Landing): FactRow {
  return {
    event_id: e.event_id,
    type: e.type,
    session_id: e.session_id,
    track_id: e.track_id ?? null,
    cdn: e.cdn,
    rendition: e.rendition,
    segment: e.segment ?? null,
    bytes: e.bytes,
    ttfb_ms: e.ttfb_ms,
    download_ms: e.download_ms,
    http_status: e.http_status ?? null,
    error: e.error ?? null,
    ...edgeRow(e, landing),
  };
}
