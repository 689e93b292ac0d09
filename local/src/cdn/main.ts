/**
 * One CDN stand-in as its own process (`npm start` runs one per CDN): `tsx local/src/cdn/main.ts cloudfront|akamai`.
 *
 * Env: CDN_HOST, CDN_PORT, ORIGIN_URL, MEDIA_PULL_TOKEN (the origin's media-only secret), DATA_DIR (where
 * playback-secrets.json is), UPSTASH_REDIS_REST_URL/TOKEN (where served bytes are reported: delivery-log.ts), and the knobs
 * CDN_LATENCY_MS, CDN_FAILURE_RATE, CDN_FAIL_STATUS, CDN_DOWN, CDN_DOWN_MODE.
 */
import { resolve } from "node:path";
import { knobsFromEnv } from "./knobs";
import { playbackSecrets } from "./secrets";
import { startCdnStandIn } from "./stand-ins";

async function main(): Promise<void> {
  const cdn = process.argv[2];
  if (cdn !== "cloudfront" && cdn !== "akamai") throw new Error("usage: main.ts cloudfront|akamai");
  const env = process.env;
  if (!env.ORIGIN_URL || !env.MEDIA_PULL_TOKEN) throw new Error("ORIGIN_URL and MEDIA_PULL_TOKEN are required.");
  const port = Number(env.CDN_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CDN_PORT=${env.CDN_PORT} is not a port.`);
  const edge = await startCdnStandIn(cdn, {
    originUrl: env.ORIGIN_URL,
    mediaPullToken: env.MEDIA_PULL_TOKEN,
    secrets: playbackSecrets(resolve(env.DATA_DIR ?? ".data")),
    host: env.CDN_HOST ?? "127.0.0.1",
    port,
    knobs: knobsFromEnv(env),
    redis:
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
  });
  process.stdout.write(`${cdn} stand-in listening on ${edge.url}\n`);
  const stop = () => void edge.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
