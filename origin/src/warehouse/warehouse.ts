/**
 * The warehouse of record for event facts, over whichever engine runs it: which event ids are stored (and from which
 * queue batch), appending fact rows, stored counts by event type, where one event ended up, and qualified streams.
 * Every answer counts each `event_id` once, whether or not ClickHouse has merged away a copy yet.
 */
import { QUALIFIED_STREAM_MS } from "@cadence/shared/events/limits";
import { type FactRow, type FactTableName, num, str, type WarehouseEngine } from "./engine";
import { bindSql } from "./sql";
import { FACT_TABLE_NAMES } from "./tables";

const DAY_MS = 86_400_000;
/** Plays of one session lie within this much of its first play (a session never spans days of listening). */
const SESSION_SPAN_MS = 2 * DAY_MS;
const LOOKUP_COLUMNS =
  "event_id, type, session_id, user_id, tier, account_country, country, colo, asn, flags, client_ts, received_at, batch_id";

export interface StoredFact {
  event_id: string;
  type: string;
  session_id: string;
  user_id: string | null;
  tier: string | null;
  account_country: string | null;
  country: string | null;
  colo: string | null;
  asn: number | null;
  flags: string[];
  client_ts: number;
  received_at: number;
  batch_id: string;
}

export interface QualifiedStreamsQuery {
  from: string;
  to: string;
  trackId?: string;
  limit: number;
}

export class Warehouse {
  readonly sql;

  constructor(readonly engine: WarehouseEngine) {
    this.sql = bindSql(engine.dialect);
  }

  /**
   * For each of these events already stored, the batch that stored it. An event id names one event, so a stored copy
   * has the same `client_ts`: the lookup reads only rows within the events' time span, which lets DuckDB skip row
   * groups by their min/max and ClickHouse skip monthly partitions, instead of scanning every id ever stored.
   */
  async storedBatches(events: ReadonlyArray<{ event_id: string; client_ts: number }>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const sorted = [...events].sort((a, b) => a.client_ts - b.client_ts);
    const size = this.engine.maxIdsPerQuery;
    for (let i = 0; i < sorted.length; i += size) {
      const chunk = sorted.slice(i, i + size);
      const ids = chunk.map((e) => e.event_id);
      const from = (chunk[0] as { client_ts: number }).client_ts;
      const to = (chunk[chunk.length - 1] as { client_ts: number }).client_ts;
      const where = `${this.sql`client_ts >= ${from} AND client_ts <= ${to}`} AND event_id IN (${this.engine.dialect.idSet(ids)})`;
      // DuckDB: one id set against the three tables at once (it pushes the filters into each); ClickHouse 18.16 does
      // not push filters into a UNION, so there each table gets its own filtered select.
      const union =
        this.engine.name === "duckdb"
          ? `SELECT event_id, batch_id FROM (${FACT_TABLE_NAMES.map((t) => `SELECT event_id, batch_id, client_ts FROM ${t}`).join(" UNION ALL ")}) AS facts WHERE ${where}`
          : FACT_TABLE_NAMES.map((t) => `SELECT event_id, batch_id FROM ${t} WHERE ${where}`).join(" UNION ALL ");
      for (const row of await this.engine.rows(union)) out.set(String(row.event_id), String(row.batch_id));
    }
    return out;
  }

  async append(rows: ReadonlyMap<FactTableName, FactRow[]>): Promise<void> {
    for (const table of FACT_TABLE_NAMES) {
      const tableRows = rows.get(table);
      if (tableRows?.length) await this.engine.insert(table, tableRows);
    }
  }

  async storedByType(): Promise<Record<string, number>> {
    const union = FACT_TABLE_NAMES.map(
      (t) => `SELECT type, count(DISTINCT event_id) AS n FROM ${t} GROUP BY type`,
    ).join(" UNION ALL ");
    const out: Record<string, number> = {};
    for (const row of await this.engine.rows(union)) out[String(row.type)] = num(row.n);
    return out;
  }

  async lookup(eventIds: readonly string[]): Promise<StoredFact[]> {
    const found = new Map<string, StoredFact>();
    const size = this.engine.maxIdsPerQuery;
    for (let i = 0; i < eventIds.length; i += size) {
      const ids = eventIds.slice(i, i + size);
      const union = FACT_TABLE_NAMES.map(
        (t) => `SELECT ${LOOKUP_COLUMNS} FROM ${t} WHERE event_id IN (${this.engine.dialect.idSet(ids)})`,
      ).join(" UNION ALL ");
      for (const r of await this.engine.rows(union)) {
        const id = String(r.event_id);
        if (found.has(id)) continue;
        found.set(id, {
          event_id: id,
          type: String(r.type),
          session_id: String(r.session_id),
          user_id: str(r.user_id),
          tier: str(r.tier),
          account_country: str(r.account_country),
          country: str(r.country),
          colo: str(r.colo),
          asn: r.asn === null || r.asn === undefined ? null : num(r.asn),
          flags: r.flags ? String(r.flags).split(",") : [],
          client_ts: num(r.client_ts),
          received_at: num(r.received_at),
          batch_id: String(r.batch_id),
        });
      }
    }
    return [...found.values()];
  }

  /**
   * A session qualifies once its listened time (the highest `ms_played` of its qualifying plays) reaches 30 s; the
   * stream counts on the UTC day of the session's earliest play event, even when the qualifying event came days
   * later. Derived from the plays at query time, so a late `play_start` moves the stream to the day the play began
   * and a session is one stream however many copies of its events exist.
   */
  async qualifiedStreams(q: QualifiedStreamsQuery) {
    const inner = this.qualifiedSessions(q.from, q.to);
    const filter =
      this.sql`play_day >= ${q.from} AND play_day <= ${q.to}` +
      (q.trackId ? this.sql` AND stream_track = ${q.trackId}` : "");
    const [totals, rows] = await Promise.all([
      this.engine.rows(`SELECT count(*) AS n FROM (${inner}) AS s WHERE ${filter}`),
      this.engine.rows(
        `SELECT stream_track, play_day, count(*) AS streams FROM (${inner}) AS s WHERE ${filter} ` +
          `GROUP BY stream_track, play_day ORDER BY play_day DESC, streams DESC, stream_track LIMIT ${Math.floor(q.limit)}`,
      ),
    ]);
    return {
      total: num(totals[0]?.n),
      by_track_day: rows.map((r) => ({
        track_id: String(r.stream_track),
        day: String(r.play_day),
        streams: num(r.streams),
      })),
    };
  }

  /**
   * One row per qualified session that may have started between `from` and `to` (inclusive days): `session_id`,
   * `stream_track`, `stream_user`, `stream_tier`, `stream_country`, `play_day`, `listened_ms`. `extra` is more of the
   * WHERE clause over plays (bound by the caller).
   */
  qualifiedSessions(from: string, to: string, extra = ""): string {
    const d = this.engine.dialect;
    const fromMs = Date.parse(`${from}T00:00:00Z`) - SESSION_SPAN_MS;
    const toMs = Date.parse(`${to}T00:00:00Z`) + DAY_MS + SESSION_SPAN_MS;
    return (
      `SELECT session_id, min(track_id) AS stream_track, min(user_id) AS stream_user, ${d.anyValue("tier")} AS stream_tier, ` +
      `${d.anyValue("country")} AS stream_country, ${d.day("min(client_ts)")} AS play_day, ` +
      "max(coalesce(ms_played, 0)) AS listened_ms " +
      this.sql`FROM plays WHERE disqualified = 0 AND client_ts >= ${fromMs} AND client_ts < ${toMs}` +
      `${extra} GROUP BY session_id HAVING max(coalesce(ms_played, 0)) >= ${QUALIFIED_STREAM_MS}`
    );
  }
}
