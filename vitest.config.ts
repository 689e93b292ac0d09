import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One real stack (redis-server, Upstash bridge, origin) for the whole run; projects read it with inject("stack").
    globalSetup: ["./local/src/test-stack.ts"],
    projects: [
      "shared/vitest.config.ts",
      "origin/vitest.config.ts",
      "local/vitest.config.ts",
      "scripts/vitest.config.ts",
      "workers/*/vitest.config.ts",
    ],
  },
});
