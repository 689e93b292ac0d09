/**
 * Migrates a data folder from before the warehouse forward: event facts that earlier versions kept only in the
 * origin's libSQL are copied into the warehouse with the batch they landed in (from `event_ledger`). Ad events and QoE
 * samples are then removed from libSQL; plays stay there too, because the earned-play judge (events/fraud/) reads its
 * working set from libSQL's `plays`. Runs at start-up before the origin serves; idempotent and resumable (ids already
 * in the warehouse are not copied again), and cheap when there is nothing to do (plays are copied only while libSQL
 * holds more of them than the warehouse).
 */
import { adEventTypeOf, type VastTrackingEvent } from "@cadence/shared/events/schema";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { FactRow, FactTableName } from "./engine";
import type { Warehouse } from "./warehouse";

const CHUNK = 5000;
const PLAY_TYPES = ["play_start", "play_progress", "play_end", "skip", "seek"];

export async function carryForwardLegacyEvents(db: Database, warehouse: Warehouse): Promise<number> {
  let moved = 0;
  for (const table of ["ad_events", "qoe_samples"] as const) {
    for (;;) {
      const rows = await legacyRows(db, table, 0);
      if (rows.length === 0) break;
      const facts = await copyMissing(warehouse, table, rows);
      const ids = JSON.stringify(facts.map((f) => f.event_id));
      await db.run(sql`DELETE FROM ${sql.raw(table)} WHERE event_id IN (SELECT value FROM json_each(${ids}))`);
      moved += rows.length;
    }
  }
  const [libsql] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM plays`);
  const inWarehouse = Object.entries(await warehouse.storedByType())
    .filter(([type]) => PLAY_TYPES.includes(type))
    .reduce((n, [, v]) => n + v, 0);
  if (Number(libsql?.n ?? 0) > inWarehouse) {
    for (let offset = 0; ; offset += CHUNK) {
      const rows = await legacyRows(db, "plays", offset);
      if (rows.length === 0) break;
      moved += (await copyMissing(warehouse, "plays", rows)).length;
    }
  }
  return moved;
}

function legacyRows(db: Database, table: FactTableName, offset: number): Promise<FactRow[]> {
  return db.all<FactRow>(sql`
    SELECT f.*, l.type AS ledger_type, l.batch_id AS batch_id, l.request_id AS request_id, l.stored_at AS stored_at
    FROM ${sql.raw(table)} f LEFT JOIN event_ledger l ON l.event_id = f.event_id
    ORDER BY f.rowid LIMIT ${CHUNK} OFFSET ${offset}`);
}

/** Copies the rows the warehouse lacks; answers every row read (as fact rows). */
async function copyMissing(warehouse: Warehouse, table: FactTableName, rows: FactRow[]): Promise<FactRow[]> {
  const facts = rows.map((r) => legacyRow(table, r));
  const stored = await warehouse.storedBatches(
    facts.map((f) => ({ event_id: String(f.event_id), client_ts: Number(f.client_ts) })),
  );
  const missing = facts.filter((f) => !stored.has(String(f.event_id)));
  if (missing.length) await warehouse.append(new Map([[table, missing]]));
  return table === "plays" ? missing : facts;
}

function legacyRow(table: FactTableName, r: FactRow): FactRow {
  const { ledger_type, ...row } = r;
  return {
    ...row,
    type:
      table === "ad_events"
        ? String(ledger_type ?? adEventTypeOf(row.vast_event as VastTrackingEvent))
        : String(ledger_type ?? row.type),
    batch_id: String(row.batch_id ?? "carried-forward"),
    request_id: String(row.request_id ?? "carried-forward"),
    stored_at: Number(row.stored_at ?? row.received_at),
    flags: String(row.flags ?? ""),
  };
}
