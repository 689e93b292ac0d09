import { defineConfig } from "vitest/config";

// The end-to-end suite, run by `npm run test:e2e` after the unit projects, one file at a time (they share what the
// global setups start), pages and players driven in Debian's Chromium. Two setups:
// - global-setup.ts: the whole platform started as `npm start` starts it (`inject("platform")`), for the web player
//   and the consoles (player, ops, advertiser, pages);
// - the unit suite's test stack (origin, Redis bridge, CDN stand-ins: `inject("stack")`), against which the playback
//   and ads suites run their own workers under `wrangler dev` with test settings (playback, ads).
export default defineConfig({
  test: {
    name: "e2e",
    root: import.meta.dirname,
    include: ["**/*.e2e.test.ts"],
    globalSetup: ["./global-setup.ts", "../local/src/test-stack.ts"],
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 120_000,
    // Stopping the platform is npm start's own Ctrl-C path: every worker and stand-in exits first.
    teardownTimeout: 60_000,
  },
});
