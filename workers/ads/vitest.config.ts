import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { adsWorkerBindings, type TestStackInfo, workerBindings } from "../../local/src/test-bindings.ts";
import { RECORDED_EVENTS_KEY } from "./test/recorded-events.ts";

export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => {
      const stack = inject<TestStackInfo>("stack");
      // Through the Upstash bridge, like everything else: no connection is left open when the run ends.
      const redis = async (command: string[]) => {
        const res = await fetch(stack.redisRestUrl, {
          method: "POST",
          headers: { authorization: `Bearer ${stack.redisRestToken}`, "content-type": "application/json" },
          body: JSON.stringify(command),
        });
        return ((await res.json()) as { result: unknown }).result;
      };
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ...workerBindings(stack), ...adsWorkerBindings() },
          serviceBindings: {
            // The ingest-events worker's server intake, recorded: these unit tests check what the ads worker sends
            // (and answer 503 when a test asks, to exercise the outbox); the e2e suite runs the real pipeline.
            EVENTS: async (request: Request) => {
              const body = await request.text();
              if ((await redis(["GET", `${RECORDED_EVENTS_KEY}:fail`])) === "1")
                return new Response("down", { status: 503 });
              if (request.headers.get("x-service-token") !== stack.serviceToken)
                return new Response("no token", { status: 401 });
              await redis(["RPUSH", RECORDED_EVENTS_KEY, body]);
              return Response.json({ accepted: (JSON.parse(body) as unknown[]).length });
            },
          },
        },
      };
    }),
  ],
  test: { name: "ads-worker", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
