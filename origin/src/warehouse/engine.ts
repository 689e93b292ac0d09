/**
 * The warehouse engine contract: what the events store, the backfill and the dashboard need from a columnar
 * warehouse, met by DuckDB embedded on a file (the default) and by a ClickHouse cluster (`WAREHOUSE=clickhouse`).
 * Queries are written once (see `sql.ts` and the query modules) against each engine's `Dialect`; values are bound on
 * the client side, because ClickHouse 18.16 has no server-side query parameters.
 */
import type { Dialect } from "./sql";

export type WarehouseEngineName = "duckdb" | "clickhouse";

/** One row as stored: strings, integers (epoch ms, bytes, counts) and nulls. */
export type FactRow = Record<string, string | number | null>;

/** One result row as read: engines answer integers as number, bigint or numeric strings; read with `num`/`str`. */
export type ResultRow = Record<string, unknown>;

export interface WarehouseEngine {
  readonly name: WarehouseEngineName;
  readonly dialect: Dialect;
  /** How many ids one `IN (...)` lookup may carry (fewer, larger lookups are faster; ClickHouse caps query size). */
  readonly maxIdsPerQuery: number;
  /** Creates the tables this version needs (idempotent). */
  init(): Promise<void>;
  /** Runs a statement without rows (DDL, deletes). */
  exec(sql: string): Promise<void>;
  /** Runs a query and returns its rows. */
  rows(sql: string): Promise<ResultRow[]>;
  /**
   * Appends rows to one fact table. Per call the rows of a table land together or not at all (DuckDB: one
   * transaction; ClickHouse: one insert block per shard, synchronously sent through the Distributed table).
   */
  insert(table: FactTableName, rows: FactRow[]): Promise<void>;
  ping(): Promise<void>;
  /** Human-readable engine version (for health and the docs). */
  version(): Promise<string>;
  close(): Promise<void>;
}

export type FactTableName = "plays" | "ad_events" | "qoe_samples";

export const num = (v: unknown): number => {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v !== "") return Number(v);
  return 0;
};

export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
