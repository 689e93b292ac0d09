/**
 * Lifecycle moments found in the data, as Braze `users/track` requests. Today one moment can be computed: **churn
 * risk**, a subscriber (premium or hifi account) with no qualified stream in the last 14 days (read from the
 * warehouse). Trial ending, payment failed and win-back need billing's subscriptions and are not produced until
 * billing exists. Each moment has an id that names its account and period (the UTC day the 14-day window ends), so
 * a scan run twice in a day queues nothing twice.
 */
import { inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { accounts } from "../db/schema";
import { num } from "../warehouse/engine";
import type { Warehouse } from "../warehouse/warehouse";

const DAY = 86_400_000;
export const CHURN_RISK_DAYS = 14;

export interface LifecycleMoment {
  id: string;
  accountId: string;
  moment: "churn_risk";
  /** The `users/track` body. */
  body: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function churnRiskMoments(
  db: Database,
  warehouse: Warehouse,
  now = Date.now(),
): Promise<LifecycleMoment[]> {
  const subscribers = await db
    .select({ id: accounts.id, country: accounts.country, tier: accounts.tier })
    .from(accounts)
    .where(inArray(accounts.tier, ["premium", "hifi"]));
  if (subscribers.length === 0) return [];
  const from = day(now - (CHURN_RISK_DAYS - 1) * DAY);
  const to = day(now);
  const rows = await warehouse.engine.rows(
    `SELECT stream_user, count(*) AS streams FROM (${warehouse.qualifiedSessions(from, to)}) AS s WHERE ` +
      warehouse.sql`play_day >= ${from} AND play_day <= ${to} AND stream_user IS NOT NULL` +
      " GROUP BY stream_user",
  );
  const streaming = new Set(rows.filter((r) => num(r.streams) > 0).map((r) => String(r.stream_user)));
  const time = new Date(now).toISOString();
  return subscribers
    .filter((s) => !streaming.has(s.id))
    .map((s) => ({
      id: `churn_risk:${s.id}:${to}`,
      accountId: s.id,
      moment: "churn_risk" as const,
      body: JSON.stringify({
        events: [
          {
            external_id: s.id,
            name: "churn_risk",
            time,
            properties: { days_without_stream: CHURN_RISK_DAYS, tier: s.tier, window_end: to },
          },
        ],
        attributes: [{ external_id: s.id, subscription_tier: s.tier, country: s.country, churn_risk: true }],
      }),
    }));
}
