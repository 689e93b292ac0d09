import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { playbackWorkerBindings, type TestStackInfo, workerBindings } from "../../local/src/test-bindings.ts";

export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ...workerBindings(inject<TestStackInfo>("stack")),
          ...playbackWorkerBindings(inject<TestStackInfo>("stack")),
        },
        // The ads worker is not part of these tests (free sessions get no break); splicing with the real ads worker
        // is tested end to end in e2e/ads.e2e.test.ts.
        serviceBindings: { ADS: () => new Response("the ads worker is not running in these tests", { status: 503 }) },
      },
    })),
  ],
  test: { name: "playback-worker", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
