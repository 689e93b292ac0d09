/**
 * The embedded warehouse: DuckDB on one file under the data folder (one writer process per file, which the origin
 * is). Appends go through DuckDB's appender inside a transaction, so a table's rows of one call land together or not
 * at all; statements run one at a time on one connection (DuckDB serializes writers anyway).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { FactRow, FactTableName, ResultRow, WarehouseEngine } from "./engine";
import { duckdbDialect } from "./sql";
import { columnsOf, duckdbTableDdl, FACT_TABLE_NAMES } from "./tables";

export class DuckDbWarehouse implements WarehouseEngine {
  readonly name = "duckdb" as const;
  readonly dialect = duckdbDialect;
  readonly maxIdsPerQuery = 20_000;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<DuckDbWarehouse> {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    return new DuckDbWarehouse(instance, connection, path);
  }

  /** One statement at a time on the one connection. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => {});
    return run;
  }

  async init(): Promise<void> {
    for (const table of FACT_TABLE_NAMES) await this.exec(duckdbTableDdl(table));
  }

  exec(sql: string): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(sql);
    });
  }

  rows(sql: string): Promise<ResultRow[]> {
    return this.serial(async () => (await this.connection.runAndReadAll(sql)).getRowObjectsJS() as ResultRow[]);
  }

  insert(table: FactTableName, rows: FactRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.serial(async () => {
      const columns = columnsOf(table);
      await this.connection.run("BEGIN TRANSACTION");
      let appender: DuckDBAppender | undefined;
      try {
        appender = await this.connection.createAppender(table);
        for (const row of rows) {
          for (const c of columns) {
            const v = row[c.name];
            if (v === null || v === undefined) appender.appendNull();
            else if (c.type === "string") appender.appendVarchar(String(v));
            else if (c.type === "flag") appender.appendTinyInt(Number(v));
            else appender.appendBigInt(BigInt(v));
          }
          appender.endRow();
        }
        appender.flushSync();
        appender.closeSync();
        appender = undefined;
        await this.connection.run("COMMIT");
      } catch (err) {
        try {
          appender?.closeSync();
        } catch {
          // the rollback below discards whatever it held
        }
        await this.connection.run("ROLLBACK");
        throw err;
      }
    });
  }

  async ping(): Promise<void> {
    await this.rows("SELECT 1");
  }

  async version(): Promise<string> {
    const [row] = await this.rows("SELECT version() AS v");
    return `DuckDB ${String(row?.v)}`;
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      this.connection.closeSync();
      this.instance.closeSync();
    });
  }
}
