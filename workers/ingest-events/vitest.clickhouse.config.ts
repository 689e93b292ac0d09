import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { type TestStackInfo, workerBindings } from "../../local/src/test-bindings.ts";

/**
 * The events pipeline's landing proofs again, against an origin whose warehouse is the local two-shard ClickHouse
 * cluster (the test stack's `stackClickhouse`: its own origin, Redis and queue). The root vitest config adds this
 * project only when `clickhouse-server` is installed; queue settings as in vitest.config.ts.
 */
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ...workerBindings(inject<TestStackInfo>("stackClickhouse")),
          EVENTS_INGEST_SECRET: inject<TestStackInfo>("stackClickhouse").eventsIngestSecret,
          EVENTS_RETRY_DELAY_SECONDS: "1",
        },
        queueConsumers: {
          "cadence-events": {
            maxBatchSize: 20,
            maxBatchTimeout: 1,
            maxRetries: 3,
            deadLetterQueue: "cadence-events-dlq",
          },
          "cadence-events-dlq": { maxBatchSize: 20, maxBatchTimeout: 1, maxRetries: 10 },
        },
      },
    })),
  ],
  test: {
    name: "ingest-events-worker-clickhouse",
    include: ["test/no-loss.test.ts", "test/qualified-streams.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
