/**
 * The warehouse's fact tables, one per event family, described once and rendered as DDL for each engine:
 * - `plays`: play_start, play_progress, play_end, skip, seek (what streams, listeners and royalties count);
 * - `ad_events`: VAST tracking events (impressions, quartiles, skips: pacing, advertiser reports, ad revenue);
 * - `qoe_samples`: one segment download per row as the player measured it (CDN egress bytes, steering quality).
 * Every row carries what the edge enriched the event with (account, tier, countries, colo, flags), the queue batch it
 * landed in and when. `event_id` is the identity: DuckDB keeps rows unique by checking ids before it appends, and
 * ClickHouse's ReplacingMergeTree local tables, ordered by `event_id` and sharded by listener, collapse any copy on
 * merge; every counting query is written to be exact before that merge (distinct ids, or grouped by id).
 */
import type { FactTableName } from "./engine";

type ColumnType = "string" | "int" | "flag";
interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

const s = (name: string, nullable = false): Column => ({ name, type: "string", nullable });
const i = (name: string, nullable = false): Column => ({ name, type: "int", nullable });

/** What the edge knows about every event, and the landing bookkeeping. */
const edgeColumns: Column[] = [
  s("user_id", true),
  s("tier", true),
  s("account_country", true),
  s("country", true),
  s("colo", true),
  i("asn", true),
  i("client_ts"),
  i("received_at"),
  s("flags"),
  s("request_id"),
  s("batch_id"),
  i("stored_at"),
];

export const FACT_TABLES: Record<FactTableName, Column[]> = {
  plays: [
    s("event_id"),
    s("type"),
    s("session_id"),
    s("track_id"),
    s("device_id", true),
    i("ms_played", true),
    i("position_ms", true),
    s("end_reason", true),
    i("from_ms", true),
    i("to_ms", true),
    { name: "disqualified", type: "flag" },
    ...edgeColumns,
  ],
  ad_events: [
    s("event_id"),
    s("type"),
    s("vast_event"),
    s("session_id"),
    s("ad_serving_id"),
    s("campaign_id"),
    s("creative_id"),
    s("ad_id", true),
    s("track_id", true),
    i("offset_ms", true),
    ...edgeColumns,
  ],
  qoe_samples: [
    s("event_id"),
    s("type"),
    s("session_id"),
    s("track_id", true),
    s("cdn"),
    s("rendition"),
    s("segment", true),
    i("bytes"),
    i("ttfb_ms"),
    i("download_ms"),
    i("http_status", true),
    s("error", true),
    ...edgeColumns,
  ],
};

export const FACT_TABLE_NAMES = Object.keys(FACT_TABLES) as FactTableName[];

export const columnsOf = (table: FactTableName): readonly Column[] => FACT_TABLES[table];

const duckType = (c: Column) => ({ string: "VARCHAR", int: "BIGINT", flag: "TINYINT" })[c.type];
const chType = (c: Column) => {
  const t = { string: "String", int: "Int64", flag: "UInt8" }[c.type];
  return c.nullable ? `Nullable(${t})` : t;
};

export function duckdbTableDdl(table: FactTableName): string {
  const cols = FACT_TABLES[table].map((c) => `${c.name} ${duckType(c)}${c.nullable ? "" : " NOT NULL"}`);
  return `CREATE TABLE IF NOT EXISTS ${table} (${cols.join(", ")})`;
}

/** The shard-local table: deduplicating by event id on merge, partitioned by month of play. */
export function clickhouseLocalDdl(database: string, table: FactTableName, onCluster: string): string {
  const cols = FACT_TABLES[table].map((c) => `${c.name} ${chType(c)}`);
  return (
    `CREATE TABLE IF NOT EXISTS ${database}.${table}_local${onCluster} (${cols.join(", ")}) ` +
    `ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(toDate(toDateTime(intDiv(client_ts, 1000), 'UTC'))) ` +
    "ORDER BY event_id"
  );
}

/** The table queries and inserts use: sharded by listener (the session for anonymous events). */
export function clickhouseDistributedDdl(
  database: string,
  table: FactTableName,
  cluster: string,
  onCluster: string,
): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${database}.${table}${onCluster} AS ${database}.${table}_local ` +
    `ENGINE = Distributed(${cluster}, ${database}, ${table}_local, cityHash64(ifNull(user_id, session_id)))`
  );
}
