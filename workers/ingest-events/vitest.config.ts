import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { type TestStackInfo, workerBindings } from "../../local/src/test-bindings.ts";

export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ...workerBindings(inject<TestStackInfo>("stack")),
          EVENTS_INGEST_SECRET: inject<TestStackInfo>("stack").eventsIngestSecret,
          // Backoff of 1, 2, 4 s instead of 2, 4, 8 s: the no-loss test rides out real outages in reasonable time.
          EVENTS_RETRY_DELAY_SECONDS: "1",
        },
        // The events queue and its dead-letter queue as in wrangler.toml, with smaller, quicker batches and a lower
        // retry limit so the dead-letter path is reached within a test (wrangler.toml: 50 messages, 2 s, 8 retries).
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
    name: "ingest-events-worker",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The files share one queue and the origin's landing fault knob: run them one after another.
    fileParallelism: false,
  },
});
