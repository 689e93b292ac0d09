import { defineConfig } from "vitest/config";
import { clickhouseInstalled } from "./local/src/clickhouse-binary.ts";

export default defineConfig({
  test: {
    // One real stack (redis-server, Upstash bridge, origin) for the whole run; projects read it with inject("stack").
    // With clickhouse-server installed it also runs a two-shard ClickHouse cluster and a second origin landing there.
    globalSetup: ["./local/src/test-stack.ts"],
    projects: [
      "shared/vitest.config.ts",
      "origin/vitest.config.ts",
      "local/vitest.config.ts",
      "scripts/vitest.config.ts",
      "workers/*/vitest.config.ts",
      ...(clickhouseInstalled()
        ? ["origin/vitest.clickhouse.config.ts", "workers/ingest-events/vitest.clickhouse.config.ts"]
        : []),
    ],
  },
});
