import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "scripts",
    include: ["*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
