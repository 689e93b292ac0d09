/**
 * Where did these events end up? For each id: stored in the warehouse (with what the edge enriched it with: account,
 * tier, where from, flags) or refused (with the reason, from libSQL's failed events), or neither (still in flight, or
 * never sent). Used by ops and by the tests that prove nothing was lost.
 */
import { inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { failedEvents } from "../db/schema";
import type { Warehouse } from "../warehouse/warehouse";

export async function lookupEvents(db: Database, warehouse: Warehouse, eventIds: string[]) {
  const [stored, failed] = await Promise.all([
    warehouse.lookup(eventIds),
    db
      .select({
        event_id: failedEvents.eventId,
        reason: failedEvents.reason,
        detail: failedEvents.detail,
        raw: failedEvents.raw,
      })
      .from(failedEvents)
      .where(inArray(failedEvents.eventId, eventIds)),
  ]);
  return { stored: stored.map(({ batch_id: _batch, ...fact }) => fact), failed };
}
