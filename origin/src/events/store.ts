/**
 * Lands queue messages in the events store, idempotently and all in one transaction: a message whose batch already
 * landed changes nothing; the others store their events whose ids are new (the ledger's unique key is the final
 * dedupe guard), their failed events, and a landed-batch row each that says how many of what, then the sessions
 * touched are judged again as earned plays (fraud/earned-plays.ts), which keeps qualified streams. Writes are serialized in this process (SQLite has one writer anyway), so
 * concurrent consumer batches queue here instead of failing on a busy database.
 *
 * The hot inserts pass each table's rows as one JSON parameter read with `json_each` (one statement per table, no
 * bound-variable limits, and several times faster than building multi-row VALUES): a consumer batch is thousands of
 * events.
 */

import {
  DISQUALIFYING_FLAGS,
  type EdgeContext,
  type EnrichedEvent,
  type EventsMessage,
  type FailedEvent,
} from "@cadence/shared/events/message";
import {
  type AdEvent,
  isAdEvent,
  isPlayEvent,
  isQoeEvent,
  type PlayEvent,
  type QoeSegmentEvent,
  vastEventOf,
} from "@cadence/shared/events/schema";
import { inArray, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { landedBatches } from "../db/schema";
import { judgeSessions, recordPlaySessions } from "./fraud/earned-plays";

export interface IncomingMessage {
  /** The queue's message id (for the consumer's bookkeeping) and delivery attempt. */
  id: string;
  attempts: number;
  body: EventsMessage;
}

export type LandingResult =
  | { id: string; batch_id: string; status: "stored"; inserted: number; duplicates: number; failures: number }
  | { id: string; batch_id: string; status: "already-landed" };

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
type Row = Record<string, string | number | null>;

let writeChain: Promise<unknown> = Promise.resolve();

/** Runs write transactions one at a time in this process. */
export function serializedWrite<T>(work: () => Promise<T>): Promise<T> {
  const run = writeChain.then(work, work);
  writeChain = run.catch(() => {});
  return run;
}

export function landMessages(db: Database, messages: IncomingMessage[], now = Date.now()): Promise<LandingResult[]> {
  return serializedWrite(() => db.transaction((tx) => landInTx(tx, messages, now)));
}

/** `INSERT INTO table (columns) SELECT ... FROM json_each(rows)`; table and column names are ours, never input. */
function insertJson(table: string, columns: readonly string[], rows: Row[], tail = ""): SQL {
  const values = columns.map((c) => `value->>'${c}'`).join(", ");
  return sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(", "))}) SELECT ${sql.raw(values)} FROM json_each(${JSON.stringify(rows)}) WHERE true ${sql.raw(tail)}`;
}

async function landInTx(tx: Tx, messages: IncomingMessage[], now: number): Promise<LandingResult[]> {
  const landed = new Set(
    (
      await tx
        .select({ batchId: landedBatches.batchId })
        .from(landedBatches)
        .where(
          inArray(
            landedBatches.batchId,
            messages.map((m) => m.body.batch_id),
          ),
        )
    ).map((r) => r.batchId),
  );
  const fresh: IncomingMessage[] = [];
  for (const m of messages) {
    if (landed.has(m.body.batch_id)) continue;
    landed.add(m.body.batch_id); // the same batch twice in one call lands once
    fresh.push(m);
  }

  // The ledger decides which events are new: its insert returns only the ids it did not have.
  const ledgerRows: Row[] = fresh.flatMap((m) =>
    m.body.events.map((e) => ({
      event_id: e.event_id,
      type: e.type,
      session_id: e.session_id,
      user_id: e.edge.user_id,
      batch_id: m.body.batch_id,
      request_id: e.edge.request_id,
      client_ts: Date.parse(e.client_ts),
      received_at: e.edge.received_at,
      stored_at: now,
    })),
  );
  const newIds = new Set<string>();
  if (ledgerRows.length) {
    const inserted = await tx.all<{ event_id: string }>(
      insertJson("event_ledger", LEDGER_COLUMNS, ledgerRows, "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"),
    );
    for (const row of inserted) newIds.add(row.event_id);
  }

  const stored: EnrichedEvent[] = [];
  const results: LandingResult[] = messages
    .filter((m) => !fresh.includes(m))
    .map((m) => ({ id: m.id, batch_id: m.body.batch_id, status: "already-landed" as const }));
  const landedRows: Row[] = [];
  const failureRows: Row[] = [];
  for (const m of fresh) {
    let inserted = 0;
    for (const e of m.body.events) {
      // Each new id once, even if a message carried it twice.
      if (newIds.delete(e.event_id)) {
        stored.push(e);
        inserted += 1;
      }
    }
    const duplicates = m.body.events.length - inserted;
    for (const f of m.body.failures) failureRows.push(failureRow(f, m.body.batch_id, now));
    landedRows.push({
      batch_id: m.body.batch_id,
      events: m.body.events.length,
      failures: m.body.failures.length,
      inserted,
      duplicates,
      attempts: m.attempts,
      landed_at: now,
    });
    results.push({
      id: m.id,
      batch_id: m.body.batch_id,
      status: "stored",
      inserted,
      duplicates,
      failures: m.body.failures.length,
    });
  }

  const playRows: Row[] = [];
  const adRows: Row[] = [];
  const qoeRows: Row[] = [];
  const touchedSessions = new Set<string>();
  for (const e of stored) {
    if (isPlayEvent(e)) {
      touchedSessions.add(e.session_id);
      playRows.push(playRow(e));
    } else if (isAdEvent(e)) adRows.push(adRow(e));
    else if (isQoeEvent(e)) qoeRows.push(qoeRow(e));
  }
  if (playRows.length) await tx.run(insertJson("plays", PLAY_COLUMNS, playRows));
  if (adRows.length) await tx.run(insertJson("ad_events", AD_COLUMNS, adRows));
  if (qoeRows.length) await tx.run(insertJson("qoe_samples", QOE_COLUMNS, qoeRows));
  if (failureRows.length) {
    await tx.run(insertJson("failed_events", FAILURE_COLUMNS, failureRows, "ON CONFLICT (failure_id) DO NOTHING"));
  }
  if (landedRows.length) await tx.run(insertJson("landed_batches", LANDED_COLUMNS, landedRows));
  if (playRows.length) await recordPlaySessions(tx, stored);
  if (touchedSessions.size) await judgeSessions(tx, [...touchedSessions], now);
  return results;
}

const LEDGER_COLUMNS = [
  "event_id",
  "type",
  "session_id",
  "user_id",
  "batch_id",
  "request_id",
  "client_ts",
  "received_at",
  "stored_at",
] as const;
const EDGE_COLUMNS = [
  "user_id",
  "tier",
  "account_country",
  "country",
  "colo",
  "asn",
  "client_ts",
  "received_at",
  "flags",
] as const;
const PLAY_COLUMNS = [
  "event_id",
  "type",
  "session_id",
  "track_id",
  "device_id",
  "ms_played",
  "position_ms",
  "end_reason",
  "from_ms",
  "to_ms",
  "disqualified",
  ...EDGE_COLUMNS,
] as const;
const AD_COLUMNS = [
  "event_id",
  "vast_event",
  "session_id",
  "ad_serving_id",
  "campaign_id",
  "creative_id",
  "ad_id",
  "track_id",
  "offset_ms",
  ...EDGE_COLUMNS,
] as const;
const QOE_COLUMNS = [
  "event_id",
  "session_id",
  "track_id",
  "cdn",
  "rendition",
  "segment",
  "bytes",
  "ttfb_ms",
  "download_ms",
  "http_status",
  "error",
  ...EDGE_COLUMNS,
] as const;
const FAILURE_COLUMNS = [
  "failure_id",
  "event_id",
  "type",
  "reason",
  "detail",
  "raw",
  "user_id",
  "request_id",
  "batch_id",
  "received_at",
  "stored_at",
] as const;
const LANDED_COLUMNS = ["batch_id", "events", "failures", "inserted", "duplicates", "attempts", "landed_at"] as const;

type Edged<T> = T & { edge: EdgeContext };

function edgeRow(e: Edged<{ client_ts: string }>): Row {
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
  };
}

function playRow(e: Edged<PlayEvent>): Row {
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
    ...edgeRow(e),
  };
}

function adRow(e: Edged<AdEvent>): Row {
  return {
    event_id: e.event_id,
    vast_event: vastEventOf(e.type),
    session_id: e.session_id,
    ad_serving_id: e.ad_serving_id,
    campaign_id: e.campaign_id,
    creative_id: e.creative_id,
    ad_id: e.ad_id ?? null,
    track_id: e.track_id ?? null,
    offset_ms: e.offset_ms ?? null,
    ...edgeRow(e),
  };
}

function qoeRow(e: Edged<QoeSegmentEvent>): Row {
  return {
    event_id: e.event_id,
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
    ...edgeRow(e),
  };
}

function failureRow(f: FailedEvent, batchId: string, now: number): Row {
  return {
    failure_id: f.failure_id,
    event_id: f.event_id,
    type: f.type,
    reason: f.reason,
    detail: f.detail,
    raw: f.raw,
    user_id: f.user_id,
    request_id: f.request_id,
    batch_id: batchId,
    received_at: f.received_at,
    stored_at: now,
  };
}
