/**
 * The warehouse at scale: a ClickHouse cluster through `@clickhouse/client` over HTTP. Each fact table is a
 * `Distributed` table sharded by listener over `ReplacingMergeTree` local tables ordered by `event_id`. Inserts go
 * through the Distributed table with `insert_distributed_sync=1`, so an insert returns only once every shard has its
 * rows (a landing that returned is stored). Everything here runs on ClickHouse 18.16 (Debian's package) and current
 * releases: no server-side parameters, no window functions, no async inserts.
 *
 * Local tables are created `ON CLUSTER` (needs ClickHouse Keeper/ZooKeeper, as any production cluster or ClickHouse
 * Cloud has), or node by node when `CLICKHOUSE_SHARD_URLS` lists the nodes (the local two-shard cluster has no Keeper).
 */
import { type ClickHouseClient, createClient } from "@clickhouse/client";
import type { FactRow, FactTableName, ResultRow, WarehouseEngine } from "./engine";
import { clickhouseDialect } from "./sql";
import { clickhouseDistributedDdl, clickhouseLocalDdl, FACT_TABLE_NAMES } from "./tables";

export interface ClickHouseOptions {
  url: string;
  username?: string;
  password?: string;
  database: string;
  cluster: string;
  /** Every node's URL, when local tables are created node by node instead of ON CLUSTER. */
  shardUrls?: string[];
  /** Per request; default 30 s (bulk generation in the benchmark needs more). */
  requestTimeoutMs?: number;
}

export class ClickHouseWarehouse implements WarehouseEngine {
  readonly name = "clickhouse" as const;
  readonly dialect = clickhouseDialect;
  readonly maxIdsPerQuery = 10_000;
  private readonly client: ClickHouseClient;

  constructor(private readonly options: ClickHouseOptions) {
    this.client = this.clientFor(options.url, options.database);
  }

  private clientFor(url: string, database = "default"): ClickHouseClient {
    return createClient({
      url,
      database,
      username: this.options.username ?? "default",
      password: this.options.password ?? "",
      request_timeout: this.options.requestTimeoutMs ?? 30_000,
      // 18.16 predates HTTP compression negotiation the client would otherwise try.
      compression: { request: false, response: false },
    });
  }

  async init(): Promise<void> {
    const { database, cluster, shardUrls } = this.options;
    const nodes = (shardUrls?.length ? shardUrls : [this.options.url]).map((u) => this.clientFor(u));
    const onCluster = shardUrls?.length ? "" : ` ON CLUSTER ${cluster}`;
    try {
      for (const node of nodes) {
        await node.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}${onCluster}` });
        for (const table of FACT_TABLE_NAMES) {
          await node.command({ query: clickhouseLocalDdl(database, table, onCluster) });
          await node.command({ query: clickhouseDistributedDdl(database, table, cluster, onCluster) });
        }
      }
    } finally {
      for (const node of nodes) await node.close();
    }
  }

  async exec(sql: string): Promise<void> {
    // INSERT ... SELECT into a Distributed table returns once the shards have the rows, like `insert`.
    await this.client.command({ query: sql, clickhouse_settings: { insert_distributed_sync: 1 } });
  }

  async rows(sql: string): Promise<ResultRow[]> {
    // Id lookups carry thousands of literals: allow queries up to 4 MB (the default is 256 KB).
    const result = await this.client.query({
      query: sql,
      format: "JSONEachRow",
      clickhouse_settings: { max_query_size: "4194304" },
    });
    return (await result.json()) as ResultRow[];
  }

  async insert(table: FactTableName, rows: FactRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({
      table,
      values: rows,
      format: "JSONEachRow",
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
  }

  async ping(): Promise<void> {
    const answer = await this.client.ping();
    if (!answer.success) throw answer.error;
  }

  async version(): Promise<string> {
    const [row] = await this.rows("SELECT version() AS v");
    return `ClickHouse ${String(row?.v)}`;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
