/**
 * Lands queue messages exactly once: event facts go to the warehouse (DuckDB or ClickHouse), the bookkeeping that
 * makes landing idempotent and checkable (landed batches, failed events) to the origin's libSQL.
 *
 * Order matters for crashes: facts are appended first, then the bookkeeping is written in one libSQL transaction. A
 * message whose batch is in `landed_batches` changes nothing. A message that died between the two steps is landed
 * again: its events already in the warehouse *with its own batch id* count as its inserts (they are not appended
 * twice), while events stored by another batch are duplicates caught at the origin. So every accepted event is
 * stored once and counted once in `inserted`, through consumer crashes, retries and redelivered batches. Landings are
 * serialized in this process, so two copies of one batch never race.
 *
 * Earned plays (fraud/earned-plays.ts) judge sessions from libSQL: in the same bookkeeping transaction the landing
 * writes the new play events to libSQL's `plays` (the judge's working set, idempotent by event id), records their
 * session snapshots and judges the sessions touched, which keeps `stream_verdicts` and `qualified_streams`. Backfilled
 * history has no sessions to judge and skips this step.
 */

import type { EnrichedEvent, EventsMessage, FailedEvent } from "@cadence/shared/events/message";
import { isPlayEvent } from "@cadence/shared/events/schema";
import { inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { landedBatches } from "../db/schema";
import type { FactRow, FactTableName } from "../warehouse/engine";
import { factRow, factTableOf } from "../warehouse/facts";
import type { Warehouse } from "../warehouse/warehouse";
import { judgeSessions, recordPlaySessions } from "./fraud/earned-plays";

/** Batches the backfill lands (history/) are named `backfill:<hash>`: they never passed the edge. */
export const BACKFILL_BATCH_PREFIX = "backfill:";

export interface IncomingMessage {
  /** The queue's message id (for the consumer's bookkeeping) and delivery attempt. */
  id: string;
  attempts: number;
  body: EventsMessage;
}

export type LandingResult =
  | { id: string; batch_id: string; status: "stored"; inserted: number; duplicates: number; failures: number }
  | { id: string; batch_id: string; status: "already-landed" };

type Row = Record<string, string | number | null>;

let writeChain: Promise<unknown> = Promise.resolve();

/** Runs landings (and the reads that must see a landing whole) one at a time in this process. */
export function serializedWrite<T>(work: () => Promise<T>): Promise<T> {
  const run = writeChain.then(work, work);
  writeChain = run.catch(() => {});
  return run;
}

export function landMessages(
  db: Database,
  warehouse: Warehouse,
  messages: IncomingMessage[],
  now = Date.now(),
): Promise<LandingResult[]> {
  return serializedWrite(() => land(db, warehouse, messages, now));
}

async function land(
  db: Database,
  warehouse: Warehouse,
  messages: IncomingMessage[],
  now: number,
): Promise<LandingResult[]> {
  const landed = new Set(
    (
      await db
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

  const candidates = new Map<string, { event_id: string; client_ts: number }>();
  for (const m of fresh) {
    for (const e of m.body.events)
      candidates.set(e.event_id, { event_id: e.event_id, client_ts: Date.parse(e.client_ts) });
  }
  const stored = await warehouse.storedBatches([...candidates.values()]);
  const facts = new Map<FactTableName, FactRow[]>();
  const claimed = new Set<string>();
  const plays: Array<{ event: EnrichedEvent; row: FactRow }> = [];
  const results: LandingResult[] = messages
    .filter((m) => !fresh.includes(m))
    .map((m) => ({ id: m.id, batch_id: m.body.batch_id, status: "already-landed" as const }));
  const landedRows: Row[] = [];
  const failureRows: Row[] = [];
  for (const m of fresh) {
    const batchId = m.body.batch_id;
    let inserted = 0;
    for (const e of m.body.events) {
      if (claimed.has(e.event_id)) continue; // each id once, even if messages carried it twice
      const storedBy = stored.get(e.event_id);
      if (storedBy !== undefined && storedBy !== batchId) continue; // another batch stored it: a duplicate
      claimed.add(e.event_id);
      inserted += 1;
      const row = factRow(e, { batchId, storedAt: now });
      if (isPlayEvent(e) && !batchId.startsWith(BACKFILL_BATCH_PREFIX)) plays.push({ event: e, row });
      if (storedBy === batchId) continue; // this batch stored it before it died: counted, not appended again
      const table = factTableOf(e);
      const rows = facts.get(table) ?? [];
      rows.push(row);
      facts.set(table, rows);
    }
    const duplicates = m.body.events.length - inserted;
    for (const f of m.body.failures) failureRows.push(failureRow(f, batchId, now));
    landedRows.push({
      batch_id: batchId,
      events: m.body.events.length,
      failures: m.body.failures.length,
      inserted,
      duplicates,
      attempts: m.attempts,
      landed_at: now,
    });
    results.push({
      id: m.id,
      batch_id: batchId,
      status: "stored",
      inserted,
      duplicates,
      failures: m.body.failures.length,
    });
  }

  await warehouse.append(facts);
  if (landedRows.length) {
    await db.transaction(async (tx) => {
      if (failureRows.length) {
        await tx.run(insertJson("failed_events", FAILURE_COLUMNS, failureRows, "ON CONFLICT (failure_id) DO NOTHING"));
      }
      await tx.run(insertJson("landed_batches", LANDED_COLUMNS, landedRows));
      if (plays.length) {
        await tx.run(
          insertJson(
            "plays",
            LIBSQL_PLAY_COLUMNS,
            plays.map((p) => p.row),
            "ON CONFLICT (event_id) DO NOTHING",
          ),
        );
        await recordPlaySessions(
          tx,
          plays.map((p) => p.event),
        );
        await judgeSessions(tx, [...new Set(plays.map((p) => p.event.session_id))], now);
      }
    });
  }
  return results;
}

/** `INSERT INTO table (columns) SELECT ... FROM json_each(rows)`; table and column names are ours, never input. */
function insertJson(table: string, columns: readonly string[], rows: Row[], tail = "") {
  const values = columns.map((c) => `value->>'${c}'`).join(", ");
  return sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(", "))}) SELECT ${sql.raw(values)} FROM json_each(${JSON.stringify(rows)}) WHERE true ${sql.raw(tail)}`;
}

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
/** libSQL's `plays` (the earned-play judge's working set): the warehouse row's columns without its bookkeeping. */
const LIBSQL_PLAY_COLUMNS = [
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
const LANDED_COLUMNS = ["batch_id", "events", "failures", "inserted", "duplicates", "attempts", "landed_at"] as const;

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
