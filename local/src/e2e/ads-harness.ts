/**
 * End-to-end harness for ads: the ads, playback and ingest-events workers under `wrangler dev` (workerd) sharing one
 * dev registry, so their service bindings connect as in production (playback -> ads for breaks, media and beacons;
 * ads -> ingest-events for the beacons' events, which the ingest worker's queue consumer lands at the origin).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adsWorkerBindings, playbackWorkerBindings, type TestStackInfo, workerBindings } from "../test-bindings";
import { type RunningWorker, startWranglerDev } from "./wrangler-dev";

const SECRETS = new Set([
  "UPSTASH_REDIS_REST_TOKEN",
  "SERVICE_TOKEN",
  "TEST_SIGNING_JWK",
  "PLAYBACK_TOKEN_SECRET",
  "CLOUDFLARE_CDN_TOKEN_SECRET",
  "CLOUDFRONT_PRIVATE_KEY",
  "AKAMAI_EDGEAUTH_KEY",
  "EVENTS_INGEST_SECRET",
  "ADS_BEACON_SECRET",
]);

function start(config: string, bindings: Record<string, string>, registry: string): Promise<RunningWorker> {
  const secrets = Object.fromEntries(Object.entries(bindings).filter(([k]) => SECRETS.has(k)));
  const vars = Object.fromEntries(Object.entries(bindings).filter(([k]) => !SECRETS.has(k)));
  return startWranglerDev({ config, vars, secrets, registry });
}

export interface AdsHarness {
  ads: RunningWorker;
  playback: RunningWorker;
  events: RunningWorker;
  close(): Promise<void>;
}

export async function startAdsHarness(stack: TestStackInfo): Promise<AdsHarness> {
  const registry = mkdtempSync(join(tmpdir(), "cadence-ads-registry-"));
  const base = workerBindings(stack);
  const [events, ads, playback] = await Promise.all([
    start("workers/ingest-events/wrangler.toml", { ...base, EVENTS_INGEST_SECRET: stack.eventsIngestSecret }, registry),
    start("workers/ads/wrangler.toml", { ...base, ...adsWorkerBindings() }, registry),
    start(
      "workers/playback/wrangler.toml",
      { ...base, ...playbackWorkerBindings(stack), AD_BREAK_INTERVAL_MINUTES: "15" },
      registry,
    ),
  ]);
  return {
    ads,
    playback,
    events,
    close: async () => {
      await Promise.allSettled([ads.close(), playback.close(), events.close()]);
      rmSync(registry, { recursive: true, force: true });
    },
  };
}
