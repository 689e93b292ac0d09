import { defineProject } from "vitest/config";

/**
 * The warehouse engine parity suite: the same queries on DuckDB and on the test stack's real two-shard ClickHouse
 * cluster. The root vitest config adds this project only when `clickhouse-server` is installed.
 */
export default defineProject({
  test: {
    name: "origin-clickhouse",
    include: ["test/**/*.clickhouse.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
