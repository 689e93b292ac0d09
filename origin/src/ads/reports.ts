/**
 * Campaign reports per UTC day: served, impressions, quartiles, completes, skips, notUsed, errors, spend, and the
 * pacing status against the plan. Counts come from the per-campaign daily counters the ads worker increments
 * atomically with each beacon's dedupe (shared/src/ads/delivery.ts), so a report moves seconds after an ad plays and
 * counts exactly what was billed; every beacon is also sent through the events pipeline for the event store.
 */
import { adDeliveryKey, adStatsKey } from "@cadence/shared/ads/keys";
import { DAY_MS, MILLI, utcDay } from "@cadence/shared/ads/model";
import { pacingStatus } from "@cadence/shared/ads/pacing";
import { Problem, problems } from "@cadence/shared/problem";
import type { Redis } from "@upstash/redis";
import { type CampaignRow, CURRENCY, edgeCampaignOf } from "./records";

const MAX_DAYS = 366;

const COUNTERS = {
  served: "served",
  impressions: "impression",
  starts: "start",
  first_quartiles: "firstQuartile",
  midpoints: "midpoint",
  third_quartiles: "thirdQuartile",
  completes: "complete",
  skips: "skip",
  not_used: "notUsed",
  errors: "error",
} as const;
type CounterName = keyof typeof COUNTERS;

/** Milli-minor units as a decimal string of minor units (exact), and as whole minor units (rounded down). */
const money = (milli: number) => ({
  spend_minor: Math.floor(milli / MILLI),
  spend: `${Math.floor(milli / MILLI)}.${String(milli % MILLI).padStart(3, "0")}`,
});

const dayStart = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function campaignReport(
  redis: Redis,
  row: CampaignRow,
  query: { from?: string; to?: string },
  now = Date.now(),
) {
  const to = query.to
    ? dayStart(query.to)
    : Math.min(Math.floor(now / DAY_MS) * DAY_MS, Math.floor((row.flightEnd - 1) / DAY_MS) * DAY_MS);
  const from = query.from
    ? dayStart(query.from)
    : Math.max(Math.floor(row.flightStart / DAY_MS) * DAY_MS, to - 30 * DAY_MS);
  if (from > to) throw problems.badRequest("`from` must not be after `to`.");
  if ((to - from) / DAY_MS + 1 > MAX_DAYS) throw problems.badRequest(`A report covers at most ${MAX_DAYS} days.`);
  const days: number[] = [];
  for (let d = from; d <= to; d += DAY_MS) days.push(d);

  const pipe = redis.pipeline();
  for (const d of days) pipe.hgetall(adStatsKey(row.id, utcDay(d)));
  pipe.hgetall(adDeliveryKey(row.id));
  let results: Array<Record<string, unknown> | null>;
  try {
    results = (await pipe.exec()) as Array<Record<string, unknown> | null>;
  } catch (err) {
    throw new Problem("reports-unavailable", "Delivery counters are unreachable right now; try again shortly.", {
      cause: err,
      headers: { "retry-after": "5" },
    });
  }
  const edge = edgeCampaignOf(row, []);
  const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0)) || 0;
  const totals = Object.fromEntries(Object.keys(COUNTERS).map((k) => [k, 0])) as Record<CounterName, number>;
  let totalSpend = 0;
  const rows = days.map((d, i) => {
    const stats = results[i] ?? {};
    const counts = Object.fromEntries(
      (Object.entries(COUNTERS) as Array<[CounterName, string]>).map(([name, field]) => [name, num(stats[field])]),
    ) as Record<CounterName, number>;
    for (const k of Object.keys(counts) as CounterName[]) totals[k] += counts[k];
    const spend = num(stats.spend);
    totalSpend += spend;
    const inFlight = d + DAY_MS > row.flightStart && d < row.flightEnd;
    const at = Math.min(now, d + DAY_MS - 1);
    return {
      date: isoDate(d),
      ...counts,
      ...money(spend),
      pacing_status: inFlight && row.dailyBudgetMinor !== null && d <= now ? pacingStatus(edge, spend, at) : null,
    };
  });
  const delivery = results[days.length] ?? {};
  const spentTotal = num(delivery.spent);
  const todaySpend = num(delivery[`d:${utcDay(now)}`]);
  const live = now >= row.flightStart && now < row.flightEnd;
  return {
    campaign_id: row.id,
    currency: CURRENCY,
    from: isoDate(from),
    to: isoDate(to),
    days: rows,
    totals: { ...totals, ...money(totalSpend) },
    delivery: {
      total_budget_minor: row.totalBudgetMinor,
      daily_budget_minor: row.dailyBudgetMinor,
      spent_minor: Math.floor(spentTotal / MILLI),
      spent_today_minor: Math.floor(todaySpend / MILLI),
      reserved_minor: Math.ceil(num(delivery.res) / MILLI),
      budget_left_minor: Math.max(0, row.totalBudgetMinor - Math.ceil(spentTotal / MILLI)),
      pacing_status: live ? pacingStatus(edge, row.dailyBudgetMinor !== null ? todaySpend : spentTotal, now) : null,
    },
  };
}
