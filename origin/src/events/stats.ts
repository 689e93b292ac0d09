/**
 * The events counts behind `GET /v1/ops/events/stats`: edge-side counters from Redis (accepted, duplicates, rejected by
 * reason) beside origin-side counts from the database (stored, failed by reason, landed, dead letters, qualified
 * streams per track and day), and the reconciliation `accepted = stored + duplicates caught at the origin + in
 * flight`. In flight is what the edge accepted that has not landed yet (queued, retrying or dead-lettered); `stored`
 * is counted from the rows themselves, not from the landing bookkeeping, so the equation checks one against the other.
 */
import { EVENTS_EDGE_STATS_KEY } from "@cadence/shared/events/keys";
import type { Redis } from "@upstash/redis";
import { and, count, desc, eq, gte, isNull, lte, notExists, sql, sum } from "drizzle-orm";
import type { Database } from "../db/client";
import { deadLetters, eventLedger, failedEvents, landedBatches, qualifiedStreams } from "../db/schema";

export interface StatsQuery {
  from: string;
  to: string;
  trackId?: string;
  limit: number;
}

const num = (v: unknown) => Number(v ?? 0) || 0;

export async function eventsStats(db: Database, redis: Redis, query: StatsQuery) {
  // Edge counters first: anything accepted after this read cannot have landed in the database read below.
  const edge = ((await redis.hgetall<Record<string, unknown>>(EVENTS_EDGE_STATS_KEY)) ?? {}) as Record<string, unknown>;
  const landedOfDeadLetter = db
    .select({ one: sql`1` })
    .from(landedBatches)
    .where(eq(landedBatches.batchId, deadLetters.batchId));
  const streamFilter = and(
    gte(qualifiedStreams.playDay, query.from),
    lte(qualifiedStreams.playDay, query.to),
    query.trackId ? eq(qualifiedStreams.trackId, query.trackId) : undefined,
  );
  // One batch = one read transaction: a consistent snapshot of the store.
  const [byType, landed, failedByReason, dead, streamsTotal, byTrackDay] = await db.batch([
    db.select({ type: eventLedger.type, n: count() }).from(eventLedger).groupBy(eventLedger.type),
    db
      .select({
        batches: count(),
        events: sum(landedBatches.events),
        failures: sum(landedBatches.failures),
        duplicates: sum(landedBatches.duplicates),
      })
      .from(landedBatches),
    db.select({ reason: failedEvents.reason, n: count() }).from(failedEvents).groupBy(failedEvents.reason),
    db
      .select({ batches: count(), events: sum(deadLetters.events), failures: sum(deadLetters.failures) })
      .from(deadLetters)
      .where(and(isNull(deadLetters.replayedAt), notExists(landedOfDeadLetter))),
    db.select({ n: count() }).from(qualifiedStreams).where(streamFilter),
    db
      .select({ track_id: qualifiedStreams.trackId, day: qualifiedStreams.playDay, streams: count() })
      .from(qualifiedStreams)
      .where(streamFilter)
      .groupBy(qualifiedStreams.trackId, qualifiedStreams.playDay)
      .orderBy(desc(qualifiedStreams.playDay), desc(count()), qualifiedStreams.trackId)
      .limit(query.limit),
  ]);

  const storedByType = Object.fromEntries(byType.map((r) => [r.type, r.n]));
  const stored = byType.reduce((n, r) => n + r.n, 0);
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
    reconciliation: {
      formula: "accepted = stored + duplicates_at_origin + in_flight (in_flight >= 0)",
      accepted,
      stored_plus_duplicates_plus_in_flight: stored + duplicatesAtOrigin + inFlight,
      holds: accepted === stored + duplicatesAtOrigin + inFlight && inFlight >= 0,
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
