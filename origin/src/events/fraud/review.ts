/**
 * The fraud review: what ops see (`fraudReport`: flagged sessions by reason, by account and by track, and the pending
 * ones to look at) and what they decide (`decide`: clear a flagged stream so it counts, or confirm it as fraud so it
 * never does). A decision changes the verdict, re-syncs `qualified_streams` and appends to the audit log in one
 * transaction, so no decision is applied unaudited.
 */
import { randomUUID } from "node:crypto";
import { FRAUD_REASONS } from "@cadence/shared/events/earned-play";
import { and, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog, streamVerdicts } from "../../db/schema";
import { syncQualifiedStreams } from "./earned-plays";

export interface ReportQuery {
  from: string;
  to: string;
  limit: number;
}

const splitReasons = (s: string) => (s ? s.split(",") : []);

export async function fraudReport(db: Database, q: ReportQuery) {
  const window = and(gte(streamVerdicts.playDay, q.from), lte(streamVerdicts.playDay, q.to));
  const rows = await db
    .select({
      status: streamVerdicts.status,
      reasons: streamVerdicts.reasons,
      userId: streamVerdicts.userId,
      trackId: streamVerdicts.trackId,
    })
    .from(streamVerdicts)
    .where(window);
  const byStatus = { qualified: 0, flagged: 0, cleared: 0, confirmed: 0 };
  const byReason = Object.fromEntries(FRAUD_REASONS.map((r) => [r, 0])) as Record<string, number>;
  const accounts = new Map<string, { flagged: number; confirmed: number; reasons: Record<string, number> }>();
  const tracks = new Map<string, { flagged: number; confirmed: number }>();
  for (const r of rows) {
    byStatus[r.status] += 1;
    if (r.status !== "flagged" && r.status !== "confirmed") continue;
    const account = accounts.get(r.userId ?? "(unknown)") ?? { flagged: 0, confirmed: 0, reasons: {} };
    const track = tracks.get(r.trackId) ?? { flagged: 0, confirmed: 0 };
    account[r.status] += 1;
    track[r.status] += 1;
    for (const reason of splitReasons(r.reasons)) {
      if (r.status === "flagged") byReason[reason] = (byReason[reason] ?? 0) + 1;
      account.reasons[reason] = (account.reasons[reason] ?? 0) + 1;
    }
    accounts.set(r.userId ?? "(unknown)", account);
    tracks.set(r.trackId, track);
  }
  const top = <T extends { flagged: number; confirmed: number }>(m: Map<string, T>, key: string) =>
    [...m.entries()]
      .map(([id, v]) => ({ [key]: id, ...v }))
      .sort((a, b) => b.flagged + b.confirmed - (a.flagged + a.confirmed))
      .slice(0, q.limit);
  const pending = await db
    .select()
    .from(streamVerdicts)
    .where(and(window, eq(streamVerdicts.status, "flagged")))
    .orderBy(desc(streamVerdicts.playDay), desc(streamVerdicts.judgedAt))
    .limit(q.limit);
  return {
    from: q.from,
    to: q.to,
    streams: byStatus,
    flags_by_reason: byReason,
    accounts: top(accounts, "user_id"),
    tracks: top(tracks, "track_id"),
    pending: pending.map((v) => ({
      session_id: v.sessionId,
      user_id: v.userId,
      track_id: v.trackId,
      device_id: v.deviceId,
      play_day: v.playDay,
      ms_played: v.msPlayed,
      reasons: splitReasons(v.reasons),
    })),
  };
}

export interface Decision {
  session_id: string;
  decision: "clear" | "confirm";
  note?: string;
}

export type DecisionResult =
  | { session_id: string; status: "cleared" | "confirmed"; previous: string }
  | { session_id: string; status: "not-found" };

export function decide(
  db: Database,
  actor: { sub: string; email?: string },
  decisions: Decision[],
  requestId: string | undefined,
  now = Date.now(),
): Promise<DecisionResult[]> {
  // Its own transaction; a landing in progress holds the writer lock and this waits for it (5 s busy timeout).
  return db.transaction(async (tx) => {
    const ids = decisions.map((d) => d.session_id);
    const found = new Map(
      (await tx.select().from(streamVerdicts).where(inArray(streamVerdicts.sessionId, ids))).map((v) => [
        v.sessionId,
        v,
      ]),
    );
    const results: DecisionResult[] = [];
    for (const d of decisions) {
      const before = found.get(d.session_id);
      if (!before) {
        results.push({ session_id: d.session_id, status: "not-found" });
        continue;
      }
      const status = d.decision === "clear" ? "cleared" : "confirmed";
      await tx
        .update(streamVerdicts)
        .set({ status, reviewedBy: actor.sub, reviewedAt: now, note: d.note ?? null })
        .where(eq(streamVerdicts.sessionId, d.session_id));
      await tx.insert(auditLog).values({
        id: randomUUID(),
        at: now,
        actorSub: actor.sub,
        actorEmail: actor.email ?? null,
        action: `fraud.stream.${d.decision}`,
        entity: "stream-verdict",
        entityVersion: null,
        oldValue: JSON.stringify({ session_id: d.session_id, status: before.status, reasons: before.reasons }),
        newValue: JSON.stringify({ session_id: d.session_id, status, note: d.note ?? null }),
        requestId: requestId ?? null,
      });
      results.push({ session_id: d.session_id, status, previous: before.status });
    }
    await syncQualifiedStreams(
      tx,
      results.filter((r) => r.status !== "not-found").map((r) => r.session_id),
      now,
    );
    return results;
  });
}

/** Verdict counts per status (for tests and the stats page). */
export async function verdictCounts(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: streamVerdicts.status, n: sql<number>`count(*)` })
    .from(streamVerdicts)
    .groupBy(streamVerdicts.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
