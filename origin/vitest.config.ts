import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "origin",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The engine parity suite needs the test stack's ClickHouse cluster: vitest.clickhouse.config.ts runs it.
    exclude: ["**/node_modules/**", "test/**/*.clickhouse.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
