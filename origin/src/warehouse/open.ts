/**
 * Opens the configured warehouse and creates its tables: DuckDB on `<DATA_DIR>/warehouse.duckdb` unless
 * `WAREHOUSE=clickhouse`, which needs `CLICKHOUSE_URL`.
 */
import { resolve } from "node:path";
import type { WarehouseSettings } from "../config";
import { ClickHouseWarehouse } from "./clickhouse";
import { DuckDbWarehouse } from "./duckdb";
import type { WarehouseEngine } from "./engine";
import { Warehouse } from "./warehouse";

export async function openWarehouse(config: WarehouseSettings): Promise<Warehouse> {
  let engine: WarehouseEngine;
  if (config.WAREHOUSE === "clickhouse") {
    if (!config.CLICKHOUSE_URL) throw new Error("WAREHOUSE=clickhouse needs CLICKHOUSE_URL (any node of the cluster).");
    engine = new ClickHouseWarehouse({
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
      database: config.CLICKHOUSE_DATABASE,
      cluster: config.CLICKHOUSE_CLUSTER,
      shardUrls: config.CLICKHOUSE_SHARD_URLS,
    });
  } else {
    engine = await DuckDbWarehouse.open(config.WAREHOUSE_PATH ?? resolve(config.dataDir, "warehouse.duckdb"));
  }
  await engine.init();
  return new Warehouse(engine);
}
