/**
 * The leadership dashboard's warehouse queries, written once for DuckDB and ClickHouse (and compared on both by the
 * engine parity suite). Each answer is exact however many copies of an event the warehouse still holds: listeners
 * and plays count distinct ids, sums run over one row per `event_id`.
 *
 * "Country" is where the listener was (request.cf at the edge); "plays" are playback sessions started in the period;
 * active listeners are distinct accounts with a play in the period (daily with `granularity=day`, monthly with
 * `month`); CDN egress is the bytes players reported downloading per CDN.
 */
import { num } from "../warehouse/engine";
import type { Warehouse } from "../warehouse/warehouse";

export type Granularity = "day" | "month";

export interface DashboardRange {
  /** Inclusive UTC days, YYYY-MM-DD. */
  from: string;
  to: string;
  country?: string;
  granularity: Granularity;
}

const DAY_MS = 86_400_000;

function bounds(range: DashboardRange): { fromMs: number; toMs: number } {
  return { fromMs: Date.parse(`${range.from}T00:00:00Z`), toMs: Date.parse(`${range.to}T00:00:00Z`) + DAY_MS };
}

function period(w: Warehouse, granularity: Granularity, epochMs: string): string {
  const day = w.engine.dialect.day(epochMs);
  return granularity === "day" ? day : `substring(${day}, 1, 7)`;
}

const sortBy =
  <T>(...keys: Array<keyof T>) =>
  (a: T, b: T) => {
    for (const k of keys) {
      const x = String(a[k]);
      const y = String(b[k]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

export interface ActivityRow {
  period: string;
  country: string;
  tier: string;
  plays: number;
  active_listeners: number;
}

/** Plays (sessions) and active listeners per period, country and tier. */
export async function activity(w: Warehouse, range: DashboardRange): Promise<ActivityRow[]> {
  const { fromMs, toMs } = bounds(range);
  const where =
    w.sql`client_ts >= ${fromMs} AND client_ts < ${toMs}` +
    (range.country ? w.sql` AND country = ${range.country}` : "");
  const rows = await w.engine.rows(
    `SELECT ${period(w, range.granularity, "client_ts")} AS period, coalesce(country, 'unknown') AS country_key, ` +
      `coalesce(tier, 'unknown') AS tier_key, count(DISTINCT session_id) AS plays, count(DISTINCT user_id) AS listeners ` +
      `FROM plays WHERE ${where} GROUP BY period, country_key, tier_key`,
  );
  return rows
    .map((r) => ({
      period: String(r.period),
      country: String(r.country_key),
      tier: String(r.tier_key),
      plays: num(r.plays),
      active_listeners: num(r.listeners),
    }))
    .sort(sortBy<ActivityRow>("period", "country", "tier"));
}

export interface PeriodTotals {
  period: string;
  plays: number;
  active_listeners: number;
}

/** Per period over all countries and tiers (a listener in two countries is one active listener). */
export async function totals(w: Warehouse, range: DashboardRange): Promise<PeriodTotals[]> {
  const { fromMs, toMs } = bounds(range);
  const where =
    w.sql`client_ts >= ${fromMs} AND client_ts < ${toMs}` +
    (range.country ? w.sql` AND country = ${range.country}` : "");
  const rows = await w.engine.rows(
    `SELECT ${period(w, range.granularity, "client_ts")} AS period, count(DISTINCT session_id) AS plays, ` +
      `count(DISTINCT user_id) AS listeners FROM plays WHERE ${where} GROUP BY period`,
  );
  return rows
    .map((r) => ({ period: String(r.period), plays: num(r.plays), active_listeners: num(r.listeners) }))
    .sort(sortBy<PeriodTotals>("period"));
}

/** Distinct listeners over the whole range (for cost per listener). */
export async function listenersInRange(w: Warehouse, range: DashboardRange): Promise<number> {
  const { fromMs, toMs } = bounds(range);
  const where =
    w.sql`client_ts >= ${fromMs} AND client_ts < ${toMs}` +
    (range.country ? w.sql` AND country = ${range.country}` : "");
  const [row] = await w.engine.rows(`SELECT count(DISTINCT user_id) AS n FROM plays WHERE ${where}`);
  return num(row?.n);
}

export interface StreamsRow {
  period: string;
  country: string;
  tier: string;
  qualified_streams: number;
}

/** Qualified streams (sessions that reached 30 s) per period of the day the play began, country and tier. */
export async function qualifiedStreams(w: Warehouse, range: DashboardRange): Promise<StreamsRow[]> {
  const inner = w.qualifiedSessions(range.from, range.to, range.country ? w.sql` AND country = ${range.country}` : "");
  const p = range.granularity === "day" ? "play_day" : "substring(play_day, 1, 7)";
  const rows = await w.engine.rows(
    `SELECT ${p} AS period, coalesce(stream_country, 'unknown') AS country_key, ` +
      `coalesce(stream_tier, 'unknown') AS tier_key, count(*) AS streams FROM (${inner}) AS s WHERE ` +
      w.sql`play_day >= ${range.from} AND play_day <= ${range.to}` +
      " GROUP BY period, country_key, tier_key",
  );
  return rows
    .map((r) => ({
      period: String(r.period),
      country: String(r.country_key),
      tier: String(r.tier_key),
      qualified_streams: num(r.streams),
    }))
    .sort(sortBy<StreamsRow>("period", "country", "tier"));
}

export interface EgressRow {
  period: string;
  cdn: string;
  country: string;
  bytes: number;
  samples: number;
}

/** Bytes delivered per period, CDN and country, one row per sample id. */
export async function cdnEgress(w: Warehouse, range: DashboardRange): Promise<EgressRow[]> {
  const { fromMs, toMs } = bounds(range);
  const where =
    w.sql`client_ts >= ${fromMs} AND client_ts < ${toMs}` +
    (range.country ? w.sql` AND country = ${range.country}` : "");
  const rows = await w.engine.rows(
    `SELECT ${period(w, range.granularity, "sample_ts")} AS period, sample_cdn, sample_country, ` +
      "sum(sample_bytes) AS total_bytes, count(*) AS samples FROM (" +
      "SELECT event_id, max(cdn) AS sample_cdn, max(coalesce(country, 'unknown')) AS sample_country, " +
      `max(bytes) AS sample_bytes, max(client_ts) AS sample_ts FROM qoe_samples WHERE ${where} GROUP BY event_id) AS q ` +
      "GROUP BY period, sample_cdn, sample_country",
  );
  return rows
    .map((r) => ({
      period: String(r.period),
      cdn: String(r.sample_cdn),
      country: String(r.sample_country),
      bytes: num(r.total_bytes),
      samples: num(r.samples),
    }))
    .sort(sortBy<EgressRow>("period", "cdn", "country"));
}

export interface AdsRow {
  period: string;
  campaign_id: string;
  impressions: number;
  completes: number;
  not_used: number;
}

/** VAST impressions, completes and not-used ads per period and campaign. */
export async function adDelivery(w: Warehouse, range: DashboardRange): Promise<AdsRow[]> {
  const { fromMs, toMs } = bounds(range);
  const where =
    w.sql`client_ts >= ${fromMs} AND client_ts < ${toMs}` +
    (range.country ? w.sql` AND country = ${range.country}` : "");
  const rows = await w.engine.rows(
    `SELECT ${period(w, range.granularity, "client_ts")} AS period, campaign_id, ` +
      "count(DISTINCT CASE WHEN vast_event = 'impression' THEN event_id END) AS impressions, " +
      "count(DISTINCT CASE WHEN vast_event = 'complete' THEN event_id END) AS completes, " +
      "count(DISTINCT CASE WHEN vast_event = 'notUsed' THEN event_id END) AS not_used " +
      `FROM ad_events WHERE ${where} GROUP BY period, campaign_id`,
  );
  return rows
    .map((r) => ({
      period: String(r.period),
      campaign_id: String(r.campaign_id),
      impressions: num(r.impressions),
      completes: num(r.completes),
      not_used: num(r.not_used),
    }))
    .sort(sortBy<AdsRow>("period", "campaign_id"));
}
