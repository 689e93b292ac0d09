/**
 * Lifecycle webhook delivery: moments are queued once each in `lifecycle_deliveries` (their id is the idempotency
 * key), then sent to the configured Braze `users/track` endpoint with the API key and an `x-cadence-signature`.
 * A 2xx is delivered; anything else (a refusal, a 5xx, no answer within 10 s) is retried with exponential backoff
 * (1, 2, 4 ... minutes, capped at an hour) and, after 8 attempts, kept as failed with its last error for ops.
 */
import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import type { LifecycleSettings } from "../config";
import type { Database } from "../db/client";
import { lifecycleDeliveries } from "../db/schema";
import type { LifecycleMoment } from "./moments";
import { LIFECYCLE_SIGNATURE_HEADER, signLifecycleBody } from "./signature";

export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
const BATCH = 50;

export async function queueMoments(db: Database, moments: LifecycleMoment[], now = Date.now()): Promise<number> {
  if (moments.length === 0) return 0;
  const inserted = await db
    .insert(lifecycleDeliveries)
    .values(
      moments.map((m) => ({
        id: m.id,
        accountId: m.accountId,
        moment: m.moment,
        body: m.body,
        status: "pending" as const,
        nextAttemptAt: now,
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: lifecycleDeliveries.id });
  return inserted.length;
}

export function backoffMs(attempts: number): number {
  return Math.min(3600_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

/** Sends what is due; answers how many were delivered, retried later and given up. */
export async function deliverDue(
  db: Database,
  settings: LifecycleSettings,
  now = Date.now(),
): Promise<{ delivered: number; retrying: number; failed: number }> {
  const out = { delivered: 0, retrying: 0, failed: 0 };
  const { BRAZE_USERS_TRACK_URL: url, BRAZE_API_KEY: apiKey, LIFECYCLE_WEBHOOK_SECRET: secret } = settings;
  if (!url || !apiKey || !secret) return out;
  const due = await db
    .select()
    .from(lifecycleDeliveries)
    .where(and(eq(lifecycleDeliveries.status, "pending"), lte(lifecycleDeliveries.nextAttemptAt, now)))
    .orderBy(asc(lifecycleDeliveries.nextAttemptAt))
    .limit(BATCH);
  for (const d of due) {
    let error: string | undefined;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${apiKey}`,
          [LIFECYCLE_SIGNATURE_HEADER]: await signLifecycleBody(secret, d.body, now),
        },
        body: d.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) error = `${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      error = `no answer: ${err instanceof Error ? err.message : String(err)}`;
    }
    const attempts = d.attempts + 1;
    if (error === undefined) {
      out.delivered += 1;
      await db
        .update(lifecycleDeliveries)
        .set({ status: "delivered", attempts, lastError: null, deliveredAt: now })
        .where(eq(lifecycleDeliveries.id, d.id));
    } else {
      const giveUp = attempts >= MAX_ATTEMPTS;
      if (giveUp) out.failed += 1;
      else out.retrying += 1;
      await db
        .update(lifecycleDeliveries)
        .set({
          status: giveUp ? "failed" : "pending",
          attempts,
          lastError: error,
          nextAttemptAt: now + backoffMs(attempts),
        })
        .where(eq(lifecycleDeliveries.id, d.id));
    }
  }
  return out;
}

export async function listDeliveries(db: Database, status: Array<"pending" | "delivered" | "failed">, limit: number) {
  const rows = await db
    .select()
    .from(lifecycleDeliveries)
    .where(inArray(lifecycleDeliveries.status, status))
    .orderBy(desc(lifecycleDeliveries.createdAt), asc(lifecycleDeliveries.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    account_id: r.accountId,
    moment: r.moment,
    status: r.status,
    attempts: r.attempts,
    last_error: r.lastError,
    next_attempt_at: r.status === "pending" ? new Date(r.nextAttemptAt).toISOString() : null,
    created_at: new Date(r.createdAt).toISOString(),
    delivered_at: r.deliveredAt ? new Date(r.deliveredAt).toISOString() : null,
    body: JSON.parse(r.body) as unknown,
  }));
}
