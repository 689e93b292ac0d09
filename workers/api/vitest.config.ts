import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { type TestStackInfo, workerBindings } from "../../local/src/test-bindings.ts";

/** The test stack's bindings, and its CDN stand-ins as the ones whose knobs the ops console drives. */
function apiBindings(stack: TestStackInfo): Record<string, string> {
  const { cloudfrontUrl, akamaiUrl } = stack.playback;
  return { ...workerBindings(stack), CDN_STAND_IN_URLS: `cloudfront=${cloudfrontUrl},akamai=${akamaiUrl}` };
}

export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: apiBindings(inject<TestStackInfo>("stack")) },
    })),
  ],
  test: {
    name: "api-worker",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Builds the catalog tests' delivery zips with ffmpeg (in Node: workerd cannot run it).
    globalSetup: ["../../scripts/demo-catalog/api-test-fixture.ts"],
    // The steering files share one config in Redis (versions, audit entries, a rollback check): one file at a time.
    fileParallelism: false,
  },
});
