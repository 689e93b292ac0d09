import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { type TestStackInfo, workerBindings } from "../../local/src/test-bindings.ts";

export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: workerBindings(inject<TestStackInfo>("stack")) },
    })),
  ],
  test: { name: "ads-worker", include: ["test/**/*.test.ts"], testTimeout: 20_000 },
});
