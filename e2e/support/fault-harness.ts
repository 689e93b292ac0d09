/**
 * A platform of the fault tests' own: a whole test stack (its own redis-server, Upstash bridge, origin, CDN stand-ins)
 * and the four edge workers under `wrangler dev` sharing one dev registry, so a test can pause or empty this Redis
 * without touching any other suite's. The origin checks its edge-state marker every 2 s here (15 s by default).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStackWorker } from "@cadence/local/src/stack-workers";
import { adsWorkerBindings, playbackWorkerBindings, workerBindings } from "@cadence/local/src/test-bindings";
import { type RunningTestStack, startTestStack } from "@cadence/local/src/test-stack";
import type { RunningWorker } from "@cadence/local/src/wrangler-dev";

export interface FaultHarness {
  stack: RunningTestStack;
  api: RunningWorker;
  playback: RunningWorker;
  events: RunningWorker;
  ads: RunningWorker;
  close(): Promise<void>;
}

export async function startFaultHarness(): Promise<FaultHarness> {
  const stack = await startTestStack({ EDGE_STATE_CHECK_SECONDS: "2" });
  const registry = mkdtempSync(join(tmpdir(), "cadence-faults-registry-"));
  // The budget under test: every route must answer within a second while Redis hangs.
  const base = { ...workerBindings(stack.info), REDIS_TIMEOUT_MS: "250" };
  try {
    const [events, ads, playback] = await Promise.all([
      startStackWorker(
        "workers/ingest-events/wrangler.toml",
        { ...base, EVENTS_INGEST_SECRET: stack.info.eventsIngestSecret },
        registry,
      ),
      startStackWorker("workers/ads/wrangler.toml", { ...base, ...adsWorkerBindings() }, registry),
      startStackWorker("workers/playback/wrangler.toml", { ...base, ...playbackWorkerBindings(stack.info) }, registry),
    ]);
    const api = await startStackWorker(
      "workers/api/wrangler.toml",
      {
        ...base,
        PLAYBACK_PUBLIC_URL: playback.url,
        EVENTS_PUBLIC_URL: events.url,
        ADS_PUBLIC_URL: ads.url,
      },
      registry,
    );
    return {
      stack,
      api,
      playback,
      events,
      ads,
      close: async () => {
        await Promise.allSettled([api.close(), ads.close(), playback.close(), events.close()]);
        await stack.close();
        rmSync(registry, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stack.close();
    throw err;
  }
}
