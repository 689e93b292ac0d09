/** Test helpers: a fresh libSQL file and a fresh warehouse on each engine (ClickHouse: the test stack's cluster). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {} from "@cadence/local/src/test-bindings";
import { inject } from "vitest";
import { openDatabase } from "../../src/db/client";
import { ClickHouseWarehouse } from "../../src/warehouse/clickhouse";
import { DuckDbWarehouse } from "../../src/warehouse/duckdb";
import { Warehouse } from "../../src/warehouse/warehouse";

export async function freshDuckDb() {
  const dir = mkdtempSync(join(tmpdir(), "cadence-wh-"));
  const engine = await DuckDbWarehouse.open(join(dir, "warehouse.duckdb"));
  await engine.init();
  const { db } = await openDatabase(`file:${join(dir, "cadence.db")}`);
  return { warehouse: new Warehouse(engine), db, dir };
}

export async function freshClickHouse() {
  const cluster = inject("clickhouse");
  const dir = mkdtempSync(join(tmpdir(), "cadence-wh-"));
  const engine = new ClickHouseWarehouse({
    url: cluster.url,
    database: `parity_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`,
    cluster: cluster.cluster,
    shardUrls: cluster.shardUrls,
  });
  await engine.init();
  const { db } = await openDatabase(`file:${join(dir, "cadence.db")}`);
  return { warehouse: new Warehouse(engine), db, dir };
}
