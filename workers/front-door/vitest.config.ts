import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

/**
 * Each of the four service bindings is a function that echoes which worker got the request and what arrived (method,
 * URL, headers, body), so the tests see exactly what the front door passed on. The workers themselves are tested in
 * their own projects; the e2e suite runs the real ones behind the front door.
 */
const echo = (worker: string) => async (request: Request) =>
  Response.json(
    {
      worker,
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    },
    { headers: { "x-served-by": worker } },
  );

export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        serviceBindings: {
          API: echo("api"),
          PLAYBACK: echo("playback"),
          INGEST_EVENTS: echo("ingest-events"),
          ADS: echo("ads"),
        },
      },
    }),
  ],
  test: { name: "front-door-worker", include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
