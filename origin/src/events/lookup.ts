/**
 * Where did these events end up? For each id: stored (with what the edge enriched it with: account, tier, where from,
 * flags) or refused (with the reason), or neither (still in flight, or never sent). Used by ops and by the tests that
 * prove nothing was lost.
 */
import { inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { adEvents, eventLedger, failedEvents, plays, qoeSamples } from "../db/schema";

export async function lookupEvents(db: Database, eventIds: string[]) {
  const enrichment = (t: typeof plays | typeof adEvents | typeof qoeSamples) =>
    db
      .select({
        event_id: t.eventId,
        user_id: t.userId,
        tier: t.tier,
        account_country: t.accountCountry,
        country: t.country,
        colo: t.colo,
        asn: t.asn,
        flags: t.flags,
        client_ts: t.clientTs,
        received_at: t.receivedAt,
      })
      .from(t)
      .where(inArray(t.eventId, eventIds));
  const [ledger, playRows, adRows, qoeRows, failed] = await db.batch([
    db
      .select({ event_id: eventLedger.eventId, type: eventLedger.type, session_id: eventLedger.sessionId })
      .from(eventLedger)
      .where(inArray(eventLedger.eventId, eventIds)),
    enrichment(plays),
    enrichment(adEvents),
    enrichment(qoeSamples),
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
  const details = new Map([...playRows, ...adRows, ...qoeRows].map((r) => [r.event_id, r]));
  return {
    stored: ledger.map((row) => {
      const d = details.get(row.event_id);
      return { ...row, ...d, flags: d?.flags ? d.flags.split(",") : [] };
    }),
    failed,
  };
}
