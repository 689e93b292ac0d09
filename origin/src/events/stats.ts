/**
 * The events counts behind `GET /v1/ops/events/stats`: edge-side counters from Redis (accepted, duplicates, rejected by
 * reason) beside origin-side counts from the database (stored, failed by reason, landed, dead letters, qualified
 * streams per track and day), and the reconciliation `accepted = stored + duplicates caught at the origin + in
 * flight`. In flight is what the edge accepted that has not landed yet (queued, retrying or dead-lettered); `stored`
 * is counted from the warehouse's fact rows themselves (distinct event ids), not from the landing bookkeeping in
 * libSQL, so the equation checks one against the other. Both are read between landings, so they agree. Events
 * imported by the backfill never passed the edge: they are counted as `backfilled` on the accepted side.
 */
import { EVENTS_EDGE_STATS_KEY } from "@cadence/shared/events/keys";
import type { Redis } from "@upstash/redis";
import { and, count, desc, eq, gte, isNull, like, lte, notExists, notLike, sql, sum } from "drizzle-orm";
import type { Database } from "../db/client";
import { deadLetters, failedEvents, landedBatches, qualifiedStreams } from "../db/schema";
import type { Warehouse } from "../warehouse/warehouse";
import { BACKFILL_BATCH_PREFIX, serializedWrite } from "./store";

export interface StatsQuery {
  from: string;
  to: string;
  trackId?: string;
  limit: number;
}

const num = (v: unknown) => Number(v ?? 0) || 0;

export async function eventsStats(db: Database, warehouse: Warehouse, redis: Redis, query: StatsQuery) {
  // Edge counters first: anything accepted after this read cannot have landed in the database read below.
  const edge = ((await redis.hgetall<Record<string, unknown>>(EVENTS_EDGE_STATS_KEY)) ?? {}) as Record<string, unknown>;
  const landedOfDeadLetter = db
    .select({ one: sql`1` })
    .from(landedBatches)
    .where(eq(landedBatches.batchId, deadLetters.batchId));
  const { storedByType, landed, backfill, failedByReason, dead } = await serializedWrite(async () => {
    const [landed, backfill, failedByReason, dead] = await db.batch([
      db
        .select({
          batches: count(),
          events: sum(landedBatches.events),
          failures: sum(landedBatches.failures),
          duplicates: sum(landedBatches.duplicates),
        })
        .from(landedBatches)
        .where(notLike(landedBatches.batchId, `${BACKFILL_BATCH_PREFIX}%`)),
      db
        .select({ batches: count(), inserted: sum(landedBatches.inserted) })
        .from(landedBatches)
        .where(like(landedBatches.batchId, `${BACKFILL_BATCH_PREFIX}%`)),
      db.select({ reason: failedEvents.reason, n: count() }).from(failedEvents).groupBy(failedEvents.reason),
      db
        .select({ batches: count(), events: sum(deadLetters.events), failures: sum(deadLetters.failures) })
        .from(deadLetters)
        .where(and(isNull(deadLetters.replayedAt), notExists(landedOfDeadLetter))),
    ]);
    return { storedByType: await warehouse.storedByType(), landed, backfill, failedByReason, dead };
  });
  // Qualified streams are the earned-play verdicts (libSQL, kept by the landing; see fraud/earned-plays.ts).
  const streamFilter = and(
    gte(qualifiedStreams.playDay, query.from),
    lte(qualifiedStreams.playDay, query.to),
    query.trackId ? eq(qualifiedStreams.trackId, query.trackId) : undefined,
  );
  const [streamsTotal, byTrackDay] = await db.batch([
    db.select({ n: count() }).from(qualifiedStreams).where(streamFilter),
    db
      .select({ track_id: qualifiedStreams.trackId, day: qualifiedStreams.playDay, streams: count() })
      .from(qualifiedStreams)
      .where(streamFilter)
      .groupBy(qualifiedStreams.trackId, qualifiedStreams.playDay)
      .orderBy(desc(qualifiedStreams.playDay), desc(count()), qualifiedStreams.trackId)
      .limit(query.limit),
  ]);

  const stored = Object.values(storedByType).reduce((n, v) => n + v, 0);
  const landedRow = landed[0];
  const landedEvents = num(landedRow?.events);
  const landedFailures = num(landedRow?.failures);
  const duplicatesAtOrigin = num(landedRow?.duplicates);
  const failedStoredByReason = Object.fromEntries(failedByReason.map((r) => [r.reason, r.n]));
  const failedStored = failedByReason.reduce((n, r) => n + r.n, 0);

  const accepted = num(edge.accepted);
  const rejected = num(edge.rejected);
  const rejectedByReason = Object.fromEntries(
    Object.entries(edge)
      .filter(([k]) => k.startsWith("rejected:"))
      .map(([k, v]) => [k.slice("rejected:".length), num(v)]),
  );
  const inFlight = accepted - landedEvents;
  const backfilled = num(backfill[0]?.inserted);
  const deadRow = dead[0];

  return {
    accepted,
    duplicates: num(edge.duplicate),
    duplicates_at_origin: duplicatesAtOrigin,
    stored,
    stored_by_type: storedByType,
    in_flight: inFlight,
    dead_lettered: {
      batches: num(deadRow?.batches),
      events: num(deadRow?.events),
      failed_events: num(deadRow?.failures),
    },
    failed: {
      rejected_at_edge: rejected,
      rejected_at_edge_by_reason: rejectedByReason,
      stored: failedStored,
      by_reason: failedStoredByReason,
      in_flight: rejected - landedFailures,
    },
    backfilled: { batches: num(backfill[0]?.batches), events: backfilled },
    warehouse: warehouse.engine.name,
    reconciliation: {
      formula: "accepted + backfilled = stored + duplicates_at_origin + in_flight (in_flight >= 0)",
      accepted,
      backfilled,
      stored_plus_duplicates_plus_in_flight: stored + duplicatesAtOrigin + inFlight,
      holds: accepted + backfilled === stored + duplicatesAtOrigin + inFlight && inFlight >= 0,
    },
    qualified_streams: {
      from: query.from,
      to: query.to,
      ...(query.trackId ? { track_id: query.trackId } : {}),
      total: streamsTotal[0]?.n ?? 0,
      by_track_day: byTrackDay,
    },
    edge: {
      requests: num(edge.requests),
      queue_refused: num(edge.queue_refused),
    },
    landed_batches: landedRow?.batches ?? 0,
  };
}
