/**
 * Dead letters: queue messages the consumer gave up on after the retry limit, stored whole by the dead-letter queue's
 * consumer so nothing accepted is lost, listed for ops, and marked when the replay command re-enqueues them. A batch
 * that lands after all (e.g. it was stored but the confirmation was lost) no longer counts as pending.
 */
import { and, desc, eq, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { deadLetters, landedBatches } from "../db/schema";
import { serializedWrite } from "./store";

export interface DeadMessage {
  id: string;
  attempts: number;
  /** The message body as queued (JSON text). */
  body: string;
}

export async function storeDeadLetters(db: Database, messages: DeadMessage[], now = Date.now()): Promise<void> {
  const rows = messages.map((m) => {
    const counts = countsOf(m.body);
    return {
      batchId: counts.batchId ?? `message:${m.id}`,
      messageId: m.id,
      body: m.body,
      events: counts.events,
      failures: counts.failures,
      attempts: m.attempts,
      deadAt: now,
    };
  });
  if (rows.length === 0) return;
  await serializedWrite(() =>
    db
      .insert(deadLetters)
      .values(rows)
      .onConflictDoUpdate({
        target: deadLetters.batchId,
        // A replayed batch that died again is pending again; a redelivered dead-letter message changes nothing.
        set: {
          replayedAt: null,
          deadAt: sql`excluded.dead_at`,
          attempts: sql`excluded.attempts`,
          messageId: sql`excluded.message_id`,
          deadCount: sql`${deadLetters.deadCount} + 1`,
        },
        setWhere: sql`${deadLetters.messageId} <> excluded.message_id`,
      }),
  );
}

function countsOf(body: string): { batchId?: string; events: number; failures: number } {
  try {
    const parsed = JSON.parse(body) as { batch_id?: unknown; events?: unknown; failures?: unknown };
    return {
      batchId: typeof parsed.batch_id === "string" ? parsed.batch_id : undefined,
      events: Array.isArray(parsed.events) ? parsed.events.length : 0,
      failures: Array.isArray(parsed.failures) ? parsed.failures.length : 0,
    };
  } catch {
    return { events: 0, failures: 0 };
  }
}

export type DeadLetterStatus = "pending" | "replayed" | "all";

export async function listDeadLetters(
  db: Database,
  options: { status: DeadLetterStatus; limit: number; bodies: boolean; batchIds?: string[] },
) {
  const landed = db.select({ one: sql`1` }).from(landedBatches).where(eq(landedBatches.batchId, deadLetters.batchId));
  const conditions = [
    options.status === "pending" ? and(isNull(deadLetters.replayedAt), notExists(landed)) : undefined,
    options.status === "replayed" ? isNotNull(deadLetters.replayedAt) : undefined,
    options.batchIds?.length ? inArray(deadLetters.batchId, options.batchIds) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await db
    .select({
      batch_id: deadLetters.batchId,
      message_id: deadLetters.messageId,
      events: deadLetters.events,
      failures: deadLetters.failures,
      attempts: deadLetters.attempts,
      dead_at: deadLetters.deadAt,
      dead_count: deadLetters.deadCount,
      replayed_at: deadLetters.replayedAt,
      replay_count: deadLetters.replayCount,
      body: deadLetters.body,
    })
    .from(deadLetters)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(deadLetters.deadAt))
    .limit(options.limit);
  return rows.map(({ body, ...row }) => ({
    ...row,
    dead_at: new Date(row.dead_at).toISOString(),
    replayed_at: row.replayed_at === null ? null : new Date(row.replayed_at).toISOString(),
    ...(options.bodies ? { body } : {}),
  }));
}

export async function markReplayed(db: Database, batchIds: string[], now = Date.now()): Promise<number> {
  if (batchIds.length === 0) return 0;
  const result = await serializedWrite(() =>
    db
      .update(deadLetters)
      .set({ replayedAt: now, replayCount: sql`${deadLetters.replayCount} + 1` })
      .where(inArray(deadLetters.batchId, batchIds)),
  );
  return result.rowsAffected;
}
