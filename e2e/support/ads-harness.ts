/**
 * End-to-end harness for ads: the ads, playback and ingest-events workers under `wrangler dev` (workerd) sharing one
 * dev registry, so their service bindings connect as in production (playback -> ads for breaks, media and beacons;
 * ads -> ingest-events for the beacons' events, which the ingest worker's queue consumer lands at the origin).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStackWorker } from "@cadence/local/src/stack-workers";
import {
  adsWorkerBindings,
  playbackWorkerBindings,
  type TestStackInfo,
  workerBindings,
} from "@cadence/local/src/test-bindings";
import type { RunningWorker } from "@cadence/local/src/wrangler-dev";

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
    startStackWorker(
      "workers/ingest-events/wrangler.toml",
      { ...base, EVENTS_INGEST_SECRET: stack.eventsIngestSecret },
      registry,
    ),
    startStackWorker("workers/ads/wrangler.toml", { ...base, ...adsWorkerBindings() }, registry),
    startStackWorker(
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
