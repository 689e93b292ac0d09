import { defineConfig } from "vitest/config";

// The end-to-end suite: one platform started as `npm start` starts it (global-setup.ts), pages driven in Debian's
// Chromium. Run by `npm run test:e2e` after the unit projects, one file at a time (they share the platform).
export default defineConfig({
  test: {
    name: "e2e",
    root: import.meta.dirname,
    include: ["**/*.e2e.test.ts"],
    globalSetup: ["./global-setup.ts"],
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 120_000,
    // Stopping the platform is npm start's own Ctrl-C path: every worker and stand-in exits first.
    teardownTimeout: 60_000,
  },
});
